/**
 * A batch's items, each checked on its own: a bad item is rejected with the reason and the
 * field at fault while the others go on. Reports and observations share the rule and its
 * wording, and the one clock-skew allowance for dates that lie ahead.
 */
import type { z } from '@hono/zod-openapi';
import type { Deps } from '../deps.ts';
import type { ItemError } from '../schemas/reports.ts';

/** Clocks disagree a little; a timestamp further ahead than this is refused as "in the future". */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface Rejection {
  index: number;
  status: 'rejected';
  error: ItemError;
}

/** The first of `dates` too far ahead of the clock, as an item's error (its field under `prefix`). */
export function futureDateError(
  deps: Deps,
  dates: Record<string, Date | undefined>,
  prefix = '',
): ItemError | undefined {
  const limit = deps.clock().getTime() + CLOCK_SKEW_MS;
  const field = Object.entries(dates).find(([, date]) => date && date.getTime() > limit)?.[0];
  return field
    ? { code: 'date_in_future', message: `${prefix}${field} is in the future`, field: `${prefix}${field}` }
    : undefined;
}

/** Parses each item, then `check`s it: those that pass with their index, and a rejection for each other. */
export function parseItems<T>(
  items: readonly unknown[],
  schema: z.ZodType<T>,
  check: (item: T) => ItemError | undefined,
): { parsed: { index: number; item: T }[]; rejected: Rejection[] } {
  const parsed: { index: number; item: T }[] = [];
  const rejected: Rejection[] = [];
  items.forEach((raw, index) => {
    const result = schema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.map(String).join('.') || '(item)';
      rejected.push({
        index,
        status: 'rejected',
        error: { code: 'validation_failed', message: `${field}: ${issue?.message}`, field },
      });
      return;
    }
    const error = check(result.data);
    if (error) rejected.push({ index, status: 'rejected', error });
    else parsed.push({ index, item: result.data });
  });
  return { parsed, rejected };
}
