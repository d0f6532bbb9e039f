/** Where a page of a counted list stands: "1–50 of 20,155" (its first row's position, its rows, the total). */
import { count } from './components.tsx';

export const pageRange = (from: number, shown: number, total: number): string =>
  `${count(from)}–${count(from + shown - 1)} of ${count(total)}`;
