/**
 * The audit trail as the console shows it: who did what, when, to which subject, filtered by
 * person, domain and date, with people named by their credential's label, role and
 * organisation. Read-only and paged by id, newest first.
 */
import { auditedPeople, countAudit, listAudit, peopleByIds } from '../db/repositories/audit.ts';
import type { Deps } from '../deps.ts';
import { resolveListKey } from './domains.ts';
import { pageOf } from './paging.ts';

export interface AuditQuery {
  actor?: number | undefined;
  /** A domain, hostname or URL: entries about the list key it falls under. */
  domain?: string | undefined;
  /** Days (YYYY-MM-DD, UTC), both inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  before?: number | undefined;
  limit: number;
}

const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999Z`);

export async function browseAudit(deps: Deps, query: AuditQuery) {
  const listKey = query.domain ? (await resolveListKey(deps, query.domain)).listKey : undefined;
  const filter = {
    actor: query.actor,
    listKey,
    from: query.from ? dayStart(query.from) : undefined,
    to: query.to ? dayEnd(query.to) : undefined,
  };
  const rows = await listAudit(deps.db, { ...filter, before: query.before, limit: query.limit + 1 });
  const { items, next } = pageOf(rows, query.limit, (last) => last.id);
  const total = await countAudit(deps.db, filter);
  const people = await peopleByIds(deps.db, [...new Set(items.flatMap((r) => (r.actor === null ? [] : [r.actor])))]);
  return {
    listKey,
    total,
    items: items.map((r) => ({ ...r, person: r.actor === null ? null : (people.get(r.actor) ?? null) })),
    nextBefore: next,
  };
}

/** The people who appear in the audit log, for the page's filter. */
export const auditPeople = (deps: Deps) => auditedPeople(deps.db);

/** Names for the credential ids a page shows (decisions' `by`). */
export const peopleNamed = (deps: Deps, ids: readonly number[]) => peopleByIds(deps.db, ids);
