/**
 * Keyset paging, as every list the API and the console page through does it: the repository
 * reads one row more than the page shows (`limit + 1`), that row's presence says a next page
 * exists, and the next page starts after the last row shown, named by its sort keys.
 */
export function pageOf<Row, Cursor>(
  rows: readonly Row[],
  limit: number,
  cursorOf: (last: Row) => Cursor,
): { items: Row[]; next: Cursor | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
