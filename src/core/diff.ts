/** Entry sets: bytewise order, differences, and applying a difference (what a client does with /changes). */

/** Bytewise order for ASCII keys (list keys are punycode, so UTF-16 order is byte order). */
export const bytewise = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function diffKeys(
  previous: ReadonlySet<string>,
  next: ReadonlySet<string>,
): { added: string[]; removed: string[] } {
  const added = [...next].filter((k) => !previous.has(k)).sort(bytewise);
  const removed = [...previous].filter((k) => !next.has(k)).sort(bytewise);
  return { added, removed };
}

/** The sorted key list after applying `added` and `removed` to `keys`. */
export function applyChanges(keys: Iterable<string>, added: readonly string[], removed: readonly string[]): string[] {
  const set = new Set(keys);
  for (const key of removed) set.delete(key);
  for (const key of added) set.add(key);
  return [...set].sort(bytewise);
}

/** The keys whose values differ between two keyed states (in one only, or unequal), bytewise. */
export function differingKeys(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort(bytewise);
}
