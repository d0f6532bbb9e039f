/** Where a page of a counted list stands: "1–50 of 20,155" (its first row's position, its rows, the total), and where a keyset page starts. */
import { count } from './components.tsx';

/**
 * Where a keyset page starts: the position its Next link carried sealed (`position`), while the
 * page's cursor holds; the top (1) otherwise. A keyset page does not know its position otherwise.
 */
export const pageStart = (position: string | undefined, cursor: unknown): number =>
  (cursor ? Number(position) : 0) || 1;

export const pageRange = (from: number, shown: number, total: number): string =>
  `${count(from)}–${count(from + shown - 1)} of ${count(total)}`;
