/**
 * The confirmation queue (issue 21): domains that meet every criterion but the number of
 * confirming countries or organisations, which is where listing waits. Computed from the build's
 * own evaluation (evaluate() with only those two relaxed), ranked by how few confirmations they
 * need, then how recently their material was confirmed online, how many reports they have, and
 * the key. Nobody who confirmed is named. A reporter sees only domains its organisation has not
 * assessed and, where a country is missing, that no organisation of its country confirmed.
 *
 * The whole queue costs one evidence aggregate (seconds at a million reports), so it is computed
 * once and kept in this process while nothing that can change it happened (evidenceStamp) and the
 * clock is in the same minute; pages are then slices of it. The cursor holds the last item's sort
 * keys, so a page after a recomputation goes on where the previous one ended.
 */

import type { Criteria } from '../core/criteria.ts';
import { bytewise } from '../core/diff.ts';
import { awaitingConfirmation, type Missing, missingText } from '../core/known.ts';
import { type Db, inTransaction } from '../db/database.ts';
import { type Confirmers, confirmersOf, evidenceStamp } from '../db/repositories/confirmation-queue.ts';
import { aggregateEvidence } from '../db/repositories/evidence.ts';
import type { Deps } from '../deps.ts';
import { encodeQueueCursor, type QueueCursor } from '../schemas/confirmation-queue.ts';
import { activeCriteria } from './criteria.ts';
import type { Principal } from './principal.ts';

interface Candidate extends QueueCursor, Confirmers {
  missing: Missing;
  confirmingOrganisations: number;
  confirmingCountries: number;
  latestOnlineAt: Date | null;
}

/** The queue's order: fewest confirmations needed, newest confirmation, most reports, key (bytewise). */
export function compareCandidates(a: QueueCursor, b: QueueCursor): number {
  return a.needed - b.needed || b.latestMs - a.latestMs || b.reports - a.reports || bytewise(a.listKey, b.listKey);
}

/** Per database: the queue computed (or being computed) for a stamp; requests with the same stamp share it. */
const computed = new WeakMap<Db, { stamp: string; items: Promise<Candidate[]> }>();

async function compute(deps: Deps, criteria: Criteria, now: Date): Promise<Candidate[]> {
  const waiting: Omit<Candidate, keyof Confirmers>[] = [];
  for (const evidence of await aggregateEvidence(deps.db, criteria, now)) {
    const missing = awaitingConfirmation(evidence, criteria, now);
    if (!missing) continue;
    waiting.push({
      listKey: evidence.listKey,
      missing,
      // One confirmation from a new country is a new organisation too.
      needed: Math.max(missing.organisations, missing.countries),
      latestMs: evidence.latestOnlineAt?.getTime() ?? 0,
      reports: evidence.reports,
      confirmingOrganisations: evidence.qualifyingOrganisations,
      confirmingCountries: evidence.qualifyingCountries,
      latestOnlineAt: evidence.latestOnlineAt,
    });
  }
  const confirmers = await confirmersOf(
    deps.db,
    waiting.map((w) => w.listKey),
  );
  const none: Confirmers = { assessedBy: [], confirmedIn: [] };
  return waiting.map((w) => ({ ...w, ...(confirmers.get(w.listKey) ?? none) })).sort(compareCandidates);
}

/** The queue as of now: computed again when a write or the minute moved the stamp. */
async function currentQueue(deps: Deps): Promise<Candidate[]> {
  const now = deps.clock();
  // First: on a new database this makes the default criteria, whose audit row would move the stamp.
  const criteria = await inTransaction(deps.db, activeCriteria);
  const stamp = `${await evidenceStamp(deps.db)}/${criteria.version}/${Math.floor(now.getTime() / 60_000)}`;
  const held = computed.get(deps.db);
  if (held?.stamp === stamp) return held.items;
  const items = compute(deps, criteria.definition, now);
  const entry = { stamp, items };
  computed.set(deps.db, entry);
  // A failed computation is not kept: the next request tries again.
  items.catch(() => {
    if (computed.get(deps.db) === entry) computed.delete(deps.db);
  });
  return items;
}

/** Each reporter organisation's view of a computed queue, filtered once per computation. */
const views = new WeakMap<Candidate[], Map<string, Candidate[]>>();

function reporterView(all: Candidate[], actor: Principal): Candidate[] {
  const byOrganisation = views.get(all) ?? new Map<string, Candidate[]>();
  views.set(all, byOrganisation);
  const id = `${actor.organisationId}/${actor.country}`;
  let view = byOrganisation.get(id);
  if (!view) {
    view = all.filter((c) => mayHelp(c, actor));
    byOrganisation.set(id, view);
  }
  return view;
}

/** Whether a reporter's organisation could add a confirmation the domain lacks. */
function mayHelp(candidate: Candidate, actor: Principal): boolean {
  if (actor.organisationId !== null && candidate.assessedBy.includes(actor.organisationId)) return false;
  if (candidate.missing.countries > 0 && actor.country !== null && candidate.confirmedIn.includes(actor.country))
    return false;
  return true;
}

export async function confirmationQueue(
  deps: Deps,
  actor: Principal,
  query: { cursor?: QueueCursor | undefined; limit: number },
) {
  const all = await currentQueue(deps);
  const visible = actor.role === 'reporter' ? reporterView(all, actor) : all;
  const cursor = query.cursor;
  const start = cursor ? firstAfter(visible, cursor) : 0;
  const page = visible.slice(start, start + query.limit);
  const last = page.at(-1);
  return {
    total: visible.length,
    items: page.map((c) => ({
      listKey: c.listKey,
      missing: { ...c.missing, text: missingText(c.missing) },
      reports: c.reports,
      confirmingOrganisations: c.confirmingOrganisations,
      confirmingCountries: c.confirmingCountries,
      latestOnlineAt: c.latestOnlineAt,
    })),
    nextCursor: last && start + query.limit < visible.length ? encodeQueueCursor(last) : null,
  };
}

/** The index of the first item after the cursor in a sorted queue (binary search). */
function firstAfter(items: readonly Candidate[], cursor: QueueCursor): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareCandidates(items[mid]!, cursor) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
