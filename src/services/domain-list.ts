/**
 * The domains list: a page of keys by state and prefix, in the order asked (by key, or by the
 * figures the last build recorded: last seen, confirmations), how many the search matches, and
 * each row's confirmations, last seen and failing criteria as the criteria count them now.
 */
import type { z } from '@hono/zod-openapi';
import { type Evidence, evaluate, failures, noEvidence } from '../core/criteria.ts';
import type { DomainState } from '../core/domain-state.ts';
import { type Db, inTransaction, textArray } from '../db/database.ts';
import { browseByFigures, type FiguresOrder, replaceFigures, sortKeysOf } from '../db/repositories/domain-figures.ts';
import { browseDomains, countDomains } from '../db/repositories/domains.ts';
import { aggregateEvidence } from '../db/repositories/evidence.ts';
import type { Deps } from '../deps.ts';
import { encodeCursor } from '../schemas/cursor.ts';
import { type DomainPage, type domainQuery, sortCursorKeys } from '../schemas/domains.ts';
import { activeCriteria } from './criteria.ts';
import { InvalidInputError } from './errors.ts';
import { pageOf } from './paging.ts';

type DomainListQuery = Pick<z.output<typeof domainQuery>, 'state' | 'q' | 'cursor' | 'limit'> &
  Partial<Pick<z.output<typeof domainQuery>, 'sort' | 'order'>>;

/**
 * A page of domains in the order asked, how many the search matches, and each row's figures as
 * the criteria count them now.
 */
export async function listDomains(deps: Deps, query: DomainListQuery): Promise<DomainPage> {
  // Side by side on PostgreSQL's pool (PGlite's one connection takes them in turn): the candidate
  // set, which both read whole, costs about as much again for its count.
  const [page, total] = await Promise.all([
    domainRows(deps, query),
    countDomains(deps.db, { state: query.state, q: query.q }),
  ]);
  const figures = await figuresNow(deps, page.items);
  return {
    total,
    items: page.items.map(({ listKey, state, listedSince }) => ({
      listKey,
      state,
      listedSince,
      ...figures.get(listKey)!,
    })),
    nextCursor: page.next,
  };
}

/**
 * The page's keys alone (what an export reads, page after page). Pages by key carry the last
 * key as the cursor; the other orders read the last build's figures (domain-figures.ts), and
 * their cursor holds its sort keys.
 */
export async function domainRows(deps: Deps, query: DomainListQuery) {
  const sort = query.sort ?? 'name';
  const descending = query.order === 'desc';
  const search = { state: query.state, q: query.q, descending, limit: query.limit + 1 };
  if (sort === 'name')
    return pageOf(
      await browseDomains(deps.db, { ...search, after: query.cursor }),
      query.limit,
      (last) => last.listKey,
    );
  const after = query.cursor === undefined ? undefined : figuresCursor(sort, query.cursor);
  return pageOf(await browseByFigures(deps.db, { ...search, order: sort, after }), query.limit, (last) =>
    encodeCursor(sortKeysOf(sort, last.figures)),
  );
}

/**
 * The build's part, in its transaction: the figures the other orders sort by, of the keys it
 * re-aggregated (`keys`; every key when null, `evidence` then being all of them).
 */
export async function recordFigures(
  tx: Db,
  evidence: readonly Evidence[],
  keys: readonly string[] | null,
): Promise<void> {
  await replaceFigures(
    tx,
    evidence.map((e) => ({
      listKey: e.listKey,
      latestMs: e.latestOnlineAt?.getTime() ?? 0,
      confirmingOrganisations: e.qualifyingOrganisations,
      confirmingCountries: e.qualifyingCountries,
    })),
    keys,
  );
}

/** The sort keys a cursor of `order` holds; the API's query refuses any other (domainQuery), so this guards other callers. */
function figuresCursor(order: FiguresOrder, cursor: string): (number | string)[] {
  const keys = sortCursorKeys(order, cursor);
  if (keys) return keys;
  throw new InvalidInputError('invalid_cursor', 'not a cursor this service gave out for this sort', {
    field: 'cursor',
  });
}

/**
 * Each key's confirmations, last seen and failing criteria as the criteria count them now:
 * the evidence aggregate of these keys alone, and for those with reports observed offline the
 * aggregate as if online, so a row names the criteria they fail for that cause as one.
 */
async function figuresNow(deps: Deps, rows: readonly { listKey: string; state: DomainState }[]) {
  const listKeys = rows.map((r) => r.listKey);
  const now = deps.clock();
  const criteria = await inTransaction(deps.db, activeCriteria);
  const evidence = listKeys.length
    ? await aggregateEvidence(deps.db, criteria.definition, now, textArray(listKeys))
    : [];
  const offline = evidence.filter((e) => e.offlineReports > 0).map((e) => e.listKey);
  const ifOnline = offline.length
    ? await aggregateEvidence(deps.db, criteria.definition, now, textArray(offline), { countOffline: true })
    : [];
  const found = new Map(evidence.map((e) => [e.listKey, e]));
  const online = new Map(ifOnline.map((e) => [e.listKey, e]));
  return new Map(
    rows.map(({ listKey, state }) => {
      // Only an exclusion names a key without reports.
      const e = found.get(listKey) ?? noEvidence(listKey, state === 'excluded');
      const evaluation = evaluate({ ...e, ifOnline: online.get(listKey) }, criteria.definition, now);
      return [
        listKey,
        {
          confirmingOrganisations: e.qualifyingOrganisations,
          confirmingCountries: e.qualifyingCountries,
          lastSeen: e.latestOnlineAt,
          failing: failures(evaluation).own,
        },
      ];
    }),
  );
}
