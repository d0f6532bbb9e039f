/**
 * Known on intake (issue 21): before anyone looks at reported material, say what is already
 * known about it: for its exact URL and for its list key, the evidence as the criteria count it
 * and whether it qualifies, whether the key is listed or excluded, and for the hashes it names,
 * the classifications other reports carry. A few statements per batch, never one per item.
 * Counts only: no organisation is named.
 */
import type { Criteria } from '../core/criteria.ts';
import { knownEvidence } from '../core/known.ts';
import { type Db, inTransaction, shortStatementsOnly, textArray } from '../db/database.ts';
import { aggregateEvidence } from '../db/repositories/evidence.ts';
import { keyStates, matchContent } from '../db/repositories/known.ts';
import type { Deps } from '../deps.ts';
import type { KnownSummary } from '../schemas/known.ts';
import type { ContentHash } from '../schemas/reports.ts';
import { activeCriteria } from './criteria.ts';
import { resolveListKey } from './domains.ts';

export interface KnownItem {
  urlCanonical: string;
  listKey: string;
  hashes: readonly ContentHash[];
}

/** What is known about each item, in the items' order. */
export async function whatIsKnown(
  db: Db,
  criteria: Criteria,
  now: Date,
  items: readonly KnownItem[],
): Promise<KnownSummary[]> {
  if (items.length === 0) return [];
  const keys = [...new Set(items.map((i) => i.listKey))];
  const urls = [...new Set(items.map((i) => i.urlCanonical))];
  await shortStatementsOnly(db);
  // One after another: inside a transaction (PGlite's one connection too) statements do not overlap.
  const byKey = await aggregateEvidence(db, criteria, now, textArray(keys));
  const byUrl = await aggregateEvidence(db, criteria, now, textArray(urls), { byUrl: true });
  const states = await keyStates(db, keys);
  const content = await matchContent(
    db,
    criteria,
    items.flatMap((item, index) => item.hashes.map((h) => ({ item: index, ...h, excludeReport: null }))),
  );
  const keyEvidence = new Map(byKey.map((e) => [e.listKey, e]));
  const urlEvidence = new Map(byUrl.map((e) => [e.listKey, e]));
  return items.map((item, index) => {
    const state = states.get(item.listKey) ?? { listedSince: null, excluded: false };
    return {
      url: { url: item.urlCanonical, ...knownEvidence(urlEvidence.get(item.urlCanonical), criteria, now) },
      listKey: {
        listKey: item.listKey,
        ...knownEvidence(keyEvidence.get(item.listKey), criteria, now),
        listed: state.listedSince !== null,
        listedSince: state.listedSince,
        excluded: state.excluded,
      },
      content: content.get(index) ?? null,
    };
  });
}

/** The analysts' look-up: what is known about any URL or key, as intake would answer it. */
export async function lookUpKnown(deps: Deps, url: string): Promise<KnownSummary> {
  const { canonical, listKey } = await resolveListKey(deps, url);
  return inTransaction(deps.db, async (tx) => {
    const criteria = await activeCriteria(tx);
    const [known] = await whatIsKnown(tx, criteria.definition, deps.clock(), [
      { urlCanonical: canonical.url, listKey, hashes: [] },
    ]);
    return known!;
  });
}
