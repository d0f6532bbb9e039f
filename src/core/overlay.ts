/**
 * The national list (issue 17): the upstream version's entries, minus the withholdings in
 * force, plus the national additions (the keys this instance's own criteria include). A
 * withholding applies to upstream entries only: a key the national evidence qualifies is a
 * national decision and stays, marked `national`.
 */
import type { EntrySource } from './formats.ts';

export interface Overlay {
  /** Each key of the national list and where it comes from. */
  sources: Map<string, EntrySource>;
  counts: { upstream: number; withheld: number; national: number };
}

export function composeOverlay(
  upstream: readonly string[],
  withheld: ReadonlySet<string>,
  national: ReadonlySet<string>,
): Overlay {
  const sources = new Map<string, EntrySource>();
  let withheldCount = 0;
  for (const key of upstream) {
    if (withheld.has(key)) withheldCount++;
    else sources.set(key, 'upstream');
  }
  let nationalCount = 0;
  for (const key of national)
    if (!sources.has(key)) {
      sources.set(key, 'national');
      nationalCount++;
    }
  return { sources, counts: { upstream: upstream.length, withheld: withheldCount, national: nationalCount } };
}
