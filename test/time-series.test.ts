/** The dashboard's time series: windows, buckets and axis ticks (pure, no database). */
import { describe, expect, it } from 'vitest';
import { bucketsOf, listPerBucket, logPosition, logTicks, niceTicks, runsPerBucket } from '../src/core/time-series.ts';

const now = new Date('2026-11-20T10:30:00Z');

describe('chart windows and ticks', () => {
  it('cuts 24 h into hours and 7 or 30 days into UTC days, ending with the current one', () => {
    const hours = bucketsOf('24h', now);
    expect(hours).toHaveLength(24);
    expect(hours.at(-1)!.start.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(hours[0]!.start.toISOString()).toBe('2026-11-19T11:00:00.000Z');
    const days = bucketsOf('30d', now);
    expect(days).toHaveLength(30);
    expect(days.at(-1)!.start.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(bucketsOf('7d', now)[0]!.start.toISOString()).toBe('2026-11-14T00:00:00.000Z');
  });

  it('sums versions per bucket and carries the entry count forward from the version before the window', () => {
    const buckets = bucketsOf('7d', now);
    const at = (day: string, entries: number, added: number, removed: number) => ({
      createdAt: new Date(`${day}T06:00:00Z`),
      entryCount: entries,
      addedCount: added,
      removedCount: removed,
    });
    const list = listPerBucket(
      buckets,
      [at('2026-11-15', 50_010, 50_000, 0), at('2026-11-15', 50_000, 8, 18), at('2026-11-18', 49_982, 0, 18)],
      at('2026-11-01', 10, 10, 0),
    );
    expect(list.map((b) => b.entries)).toEqual([10, 50_000, 50_000, 50_000, 49_982, 49_982, 49_982]);
    expect(list[1]).toMatchObject({ added: 50_008, removed: 18, versions: 2 });
    const runs = runsPerBucket(buckets, [
      { startedAt: new Date('2026-11-20T01:00:00Z'), durationMs: 900, outcome: 'changed' },
      { startedAt: new Date('2026-11-20T02:00:00Z'), durationMs: 4100, outcome: 'failed' },
    ]);
    expect(runs.at(-1)).toMatchObject({ runs: 2, failed: 1, longestMs: 4100 });
    expect(runs[0]!.longestMs).toBeNull();
  });

  it('gives round ticks over the window’s own range, and a log axis on which 18 shows beside 50,000', () => {
    expect(niceTicks(49_982, 50_010)).toEqual([49_980, 49_990, 50_000, 50_010]);
    expect(niceTicks(0, 4.1)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(7, 7)).toEqual([5, 9]);
    expect(logTicks(50_008)).toEqual([0, 1, 10, 100, 1000, 10_000, 100_000]);
    // Half of the changes chart is 74 px: 18 keys get about a quarter of it, not a pixel.
    expect(logPosition(18, 100_000) * 74).toBeGreaterThan(15);
    expect(logPosition(50_008, 100_000)).toBeLessThan(1);
  });
});
