/**
 * Build cost against its floor: the bare SQL aggregate over the same tables, in the same
 * run. A first build at that size (every entry new, every key aggregated: the worst case);
 * then, as the list is kept day to day (issue 16), an unchanged build, a build after 1,000
 * new reports over 100 new keys (incremental), and a full recomputation of the same state.
 */
import { sql } from 'drizzle-orm';
import { defaultCriteria } from '../src/core/criteria.ts';
import { queryRows } from '../src/db/database.ts';
import { evidenceQuery } from '../src/db/repositories/evidence.ts';
import type { Deps } from '../src/deps.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
import { median, round, timed, withPeakRss } from './measure.ts';
import { resetEvidence, seedEvidence, seedIncrement } from './seed.ts';

export interface BuildFigure {
  reports: number;
  listKeys: number;
  entries: number;
  buildMs: number;
  unchangedBuildMs: number;
  aggregateMs: number;
  ratio: number;
  /** After 1,000 new reports over 100 new keys: only those are aggregated. */
  incrementalBuildMs: number;
  incrementalEvaluated: number;
  incrementalPeakRssMiB: number;
  /** The same state recomputed whole (`worstof build --full`). */
  fullBuildMs: number;
  incrementalRatio: number;
  unchangedRatio: number;
  peakRssMiB: number;
  /** RSS before the build, the database open: PGlite runs inside this process and holds most of it. */
  baselineRssMiB: number;
  seedMs: number;
}

export async function benchBuild(deps: Deps, reports: number, log: (line: string) => void): Promise<BuildFigure> {
  await resetEvidence(deps.db);
  const now = new Date();
  const seed = await timed(() => seedEvidence(deps.db, reports, now));
  log(`  seeded ${reports} reports over ${seed.value.listKeys} keys in ${Math.round(seed.ms)} ms`);
  const aggregate = evidenceQuery(defaultCriteria, now);
  await queryRows(deps.db, sql`select count(*) from (${aggregate}) a`); // warm the cache
  const floors: number[] = [];
  for (let i = 0; i < 3; i++) floors.push((await timed(() => queryRows(deps.db, aggregate))).ms);
  const baselineRssMiB = Math.round(process.memoryUsage.rss() / 2 ** 20);
  const { value: build, peakRssMiB } = await withPeakRss(() =>
    timed(() => buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } })),
  );
  const run = (full = false) =>
    timed(() => buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli', full } }));
  await run(); // the first unchanged build warms the summary's pages
  const unchanged = await run();
  await seedIncrement(deps.db, 1000, 100, now, 'zz-day-');
  const { value: incremental, peakRssMiB: incrementalPeakRssMiB } = await withPeakRss(() => run());
  const full = await run(true);
  const aggregateMs = median(floors);
  return {
    reports,
    listKeys: seed.value.listKeys,
    entries: build.value.entryCount,
    buildMs: round(build.ms, 1),
    unchangedBuildMs: round(unchanged.ms, 1),
    aggregateMs: round(aggregateMs, 1),
    ratio: round(build.ms / aggregateMs),
    incrementalBuildMs: round(incremental.ms, 1),
    incrementalEvaluated: incremental.value.evaluated,
    incrementalPeakRssMiB,
    fullBuildMs: round(full.ms, 1),
    incrementalRatio: round(incremental.ms / aggregateMs, 3),
    unchangedRatio: round(unchanged.ms / aggregateMs, 3),
    peakRssMiB,
    baselineRssMiB,
    seedMs: Math.round(seed.ms),
  };
}
