/**
 * The dashboard's charts over time, as numbers: a window of 24 hours, 7 or 30 days cut into
 * hours or days, the list's versions and build runs summed per bucket, and axis ticks that
 * stay readable at any list size (round steps; changes on a logarithmic axis, so 18 keys
 * removed still show beside 50,000 added).
 */
export const ranges = ['24h', '7d', '30d'] as const;
export type Range = (typeof ranges)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const rangeLabel: Record<Range, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d' };

export interface Bucket {
  start: Date;
  end: Date;
}

/** The window ending at `now`, in hours (24 h) or UTC days (7 d, 30 d), oldest first. */
export function bucketsOf(range: Range, now: Date): Bucket[] {
  const size = range === '24h' ? HOUR : DAY;
  const count = range === '24h' ? 24 : range === '7d' ? 7 : 30;
  const lastStart = Math.floor(now.getTime() / size) * size;
  return Array.from({ length: count }, (_, i) => {
    const start = lastStart - (count - 1 - i) * size;
    return { start: new Date(start), end: new Date(start + size) };
  });
}

export interface VersionPoint {
  createdAt: Date;
  entryCount: number;
  addedCount: number;
  removedCount: number;
}

export interface ListBucket extends Bucket {
  /** Entries at the bucket's end (the last version made by then), null before the first version. */
  entries: number | null;
  added: number;
  removed: number;
  versions: number;
}

/** Versions per bucket; `before` is the last version older than the window (where its entry count starts). */
export function listPerBucket(
  buckets: readonly Bucket[],
  versions: readonly VersionPoint[],
  before: VersionPoint | undefined,
): ListBucket[] {
  let entries: number | null = before?.entryCount ?? null;
  return buckets.map((b) => {
    const inside = versions.filter((v) => v.createdAt >= b.start && v.createdAt < b.end);
    if (inside.length > 0) entries = inside.at(-1)!.entryCount;
    return {
      ...b,
      entries,
      added: inside.reduce((n, v) => n + v.addedCount, 0),
      removed: inside.reduce((n, v) => n + v.removedCount, 0),
      versions: inside.length,
    };
  });
}

export interface RunPoint {
  startedAt: Date;
  durationMs: number;
  outcome: string;
}

export interface RunBucket extends Bucket {
  runs: number;
  failed: number;
  /** The longest run started in the bucket, null without one. */
  longestMs: number | null;
}

export function runsPerBucket(buckets: readonly Bucket[], runs: readonly RunPoint[]): RunBucket[] {
  return buckets.map((b) => {
    const inside = runs.filter((r) => r.startedAt >= b.start && r.startedAt < b.end);
    return {
      ...b,
      runs: inside.length,
      failed: inside.filter((r) => r.outcome === 'failed').length,
      longestMs: inside.length > 0 ? Math.max(...inside.map((r) => r.durationMs)) : null,
    };
  });
}

/** Round ticks (1, 2 or 5 times a power of ten apart) covering min..max, about `count` of them. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) {
    const v = Math.max(0, min);
    return v === 0 ? [0, 1] : [Math.max(0, v - niceStep(v, count)), v + niceStep(v, count)];
  }
  const step = niceStep(max - min, count);
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = first; t < max + step; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** A logarithmic axis for counts from 0: ticks at 0 and powers of ten up to the first above `max`. */
export function logTicks(max: number): number[] {
  const ticks = [0, 1];
  while (ticks.at(-1)! < max) ticks.push(ticks.at(-1)! * 10);
  return ticks;
}

/** Where a count sits on a log axis topped by `top`, from 0 to 1. */
export const logPosition = (value: number, top: number): number => Math.log10(1 + value) / Math.log10(1 + top);
