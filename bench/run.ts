/**
 * `npm run bench [-- --quick] [-- --json]`: speed and memory measured side by side with a
 * baseline in the same run, reported as ratios (absolute times on shared machines are
 * noise). PostgreSQL when DATABASE_URL is set, else PGlite. Not a test: nothing here fails
 * a build; the targets are printed next to each figure.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { type BuildFigure, benchBuild } from './build.ts';
import { benchCanonicalize } from './canonicalize.ts';
import { benchDeps } from './context.ts';
import { openBenchDatabase } from './database.ts';
import { benchFreshness } from './freshness.ts';
import { benchIngest } from './ingest.ts';
import { benchPull } from './pull.ts';
import { benchPullDuringBuild, type PullDuringBuild } from './pull-during-build.ts';
import { benchRedistribution } from './redistribution.ts';
import { benchRemoval } from './removal.ts';
import { seedOrganisations } from './seed.ts';
import { benchZoneTransfer, type ZoneTransferFigure } from './zone-transfer.ts';

const hasDig = () => {
  try {
    execFileSync('dig', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const onBuildThread = (figure: PullDuringBuild['buildThread']) =>
  figure
    ? `; on the build thread p99 ${figure.p99Ms} ms (max ${figure.maxMs}, build ${figure.buildMs} ms, longest stall of the serving thread ${figure.loopMaxMs} ms)`
    : '';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    /** `--scale 1m` or `10m`: the build figures alone, at 1M reports, or at 1M and 10M (1M keys). */
    scale: { type: 'string' },
  },
});
if (values.scale !== undefined && !['1m', '10m'].includes(values.scale)) throw new Error('--scale takes 1m or 10m');
const scaled = values.scale !== undefined;
const quick = values.quick;
const log = (line: string) => {
  if (!values.json) process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
};

const plan = scaled
  ? {
      sizes: values.scale === '10m' ? [1_000_000, 10_000_000] : [1_000_000],
      ingest: 0,
      pullEntries: 0,
      pullSeconds: 0,
      urls: 0,
    }
  : quick
    ? { sizes: [10_000, 50_000], ingest: 10_000, pullEntries: 20_000, pullSeconds: 3, urls: 50_000 }
    : { sizes: [10_000, 100_000, 1_000_000], ingest: 50_000, pullEntries: 100_000, pullSeconds: 10, urls: 500_000 };

const machine = () => ({
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
});

const database = await openBenchDatabase();
try {
  // A function of its own, so the scaled run can end early and still drop its database.
  await (async () => {
    const deps = await benchDeps(database);
    await seedOrganisations(deps.db);
    const kind = database.kind === 'pglite' ? 'pglite' : 'postgresql';
    log(
      `worstof benchmark on ${kind}${quick ? ' (quick)' : ''}: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    );

    log('build (first build at each size against the bare evidence aggregate; target <= 2x, peak RSS < 512 MiB at 1M)');
    const build: BuildFigure[] = [];
    for (const size of plan.sizes) {
      const figure = await benchBuild(deps, size, log);
      build.push(figure);
      log(
        `  ${size.toLocaleString('en')} reports, ${figure.listKeys.toLocaleString('en')} keys, ${figure.entries.toLocaleString('en')} listed: build ${figure.buildMs} ms, aggregate ${figure.aggregateMs} ms, ratio ${figure.ratio}, peak RSS ${figure.peakRssMiB} MiB (${figure.baselineRssMiB} before)`,
      );
      log(
        `    incremental (1,000 new reports over 100 new keys, ${figure.incrementalEvaluated} keys evaluated): ${figure.incrementalBuildMs} ms, ${figure.incrementalRatio} of the aggregate (target <= 0.10), peak RSS ${figure.incrementalPeakRssMiB} MiB; unchanged ${figure.unchangedBuildMs} ms, ${figure.unchangedRatio} (target <= 0.05); full recomputation ${figure.fullBuildMs} ms`,
      );
    }
    const growth =
      build.length > 1 ? build.at(-1)!.buildMs / build.at(-1)!.reports / (build[0]!.buildMs / build[0]!.reports) : 1;
    log(`  time per report, largest over smallest size: ${growth.toFixed(2)} (<= 1 is linear or better)`);

    if (scaled) {
      // Freshness over the largest history just built on (issue 16): the debounced build is incremental.
      const fresh = await benchFreshness(deps, null, 5);
      log(
        `freshness over ${build.at(-1)!.reports.toLocaleString('en')} reports (${fresh.entries.toLocaleString('en')} listed, WOL_BUILD_DEBOUNCE=5s, median of 3): ${fresh.latencyMs} ms = the 5 s delay + ${fresh.overheadMs} ms (build ${fresh.buildMs} ms, then the pull)`,
      );
      if (values.json)
        process.stdout.write(
          `${JSON.stringify({ database: kind, scale: values.scale, machine: machine(), build, freshness: fresh })}\n`,
        );
      return;
    }

    log('ingest (reports per second through POST /v1/reports against a raw multi-row insert; target >= 0.5)');
    const ingest = await benchIngest(deps, database, plan.ingest);
    log(
      `  batch ${ingest.batchPerSec}/s, NDJSON ${ingest.ndjsonPerSec}/s, raw ${ingest.rawPerSec}/s, ratio ${ingest.ratio}; batch without the evidence trigger ${ingest.untriggeredBatchPerSec}/s, ratio ${ingest.triggerRatio} (target >= 0.9)`,
    );

    log(
      `pull (autocannon, ${plan.pullSeconds} s each, 16 connections; targets 304 >= 0.7 and 200 >= 0.5 of a bare route)`,
    );
    const { pull, changes } = await benchPull(deps, plan.pullEntries, plan.pullSeconds, log);
    log(
      `  304: ${pull.notModified.rps} rps vs bare ${pull.notModified.bareRps}, ratio ${pull.notModified.ratio}, p99 ${pull.notModified.p99Ms} ms`,
    );
    log(
      `  200 (${pull.entries} entries, ${pull.gzipBytes} bytes gzipped): ${pull.full.rps} rps vs bare ${pull.full.bareRps}, ratio ${pull.full.ratio}, p99 ${pull.full.p99Ms} ms`,
    );
    log(
      `changes at 1% churn (${changes.churn}): ${changes.changeBytes} bytes vs ${changes.fullBytes} for the full txt, ratio ${changes.ratio} (target <= 0.03)`,
    );

    log('304 pulls during a build (p99, autocannon, 16 connections; the render thread keeps the serving thread free)');
    const duringBuild = await benchPullDuringBuild(deps, plan.pullEntries, Math.max(plan.pullSeconds, 6), database.url);
    log(
      `  ${duringBuild.entries.toLocaleString('en')} entries: no build p99 ${duringBuild.idleP99Ms} ms; build rendering inline p99 ${duringBuild.inline.p99Ms} ms (max ${duringBuild.inline.maxMs}, build ${duringBuild.inline.buildMs} ms); on the render thread p99 ${duringBuild.thread.p99Ms} ms (max ${duringBuild.thread.maxMs}, build ${duringBuild.thread.buildMs} ms)${onBuildThread(duringBuild.buildThread)}`,
    );

    log(
      'removal latency (every report of a listed domain observed offline, a build at once, then a pull; median of 5)',
    );
    const removal = await benchRemoval(deps, plan.pullEntries);
    log(
      `  ${removal.entries.toLocaleString('en')} listed: observe ${removal.observeMs} ms + build ${removal.buildMs} ms + pull ${removal.pullMs} ms = ${removal.totalMs} ms`,
    );

    const debounceSeconds = 5;
    log(
      `freshness (WOL_BUILD_DEBOUNCE=${debounceSeconds}s: second confirmation answered -> in a pulled latest.txt, no explicit build; median of 3)`,
    );
    const freshness = await benchFreshness(deps, plan.pullEntries, debounceSeconds);
    log(
      `  ${freshness.entries.toLocaleString('en')} listed: ${freshness.latencyMs} ms = the ${debounceSeconds} s delay + ${freshness.overheadMs} ms (build ${freshness.buildMs} ms, then the pull)`,
    );

    const pollSeconds = quick ? 5 : 30;
    log(
      `redistribution (central build started -> the new domain in a national ISP's pulled latest.txt, two instances over loopback; WOL_UPSTREAM_POLL=${pollSeconds}s, then the central webhook's notification; median of 3)`,
    );
    const redistribution = await benchRedistribution(deps, plan.pullEntries, pollSeconds);
    log(
      `  ${redistribution.entries.toLocaleString('en')} listed: with the poll ${redistribution.pollMs} ms, with the notification ${redistribution.notifyMs} ms (central build ${redistribution.centralBuildMs} ms)`,
    );

    log('zone transfers (dig -y over TCP from the DNS listener; IXFR after 1% churn against the AXFR of that version)');
    let zoneTransfer: ZoneTransferFigure | null = null;
    if (hasDig()) {
      zoneTransfer = await benchZoneTransfer(deps, plan.pullEntries);
      const { axfr, ixfr } = zoneTransfer;
      log(
        `  AXFR of ${zoneTransfer.entries.toLocaleString('en')} entries: ${axfr.records.toLocaleString('en')} records in ${axfr.messages} messages, ${axfr.bytes.toLocaleString('en')} bytes; ${axfr.coldMs} ms first after the build, ${axfr.warmMs} ms after (median of 3)`,
      );
      log(
        `  IXFR at 1% churn (${ixfr.churn}): ${ixfr.records} records, ${ixfr.bytes.toLocaleString('en')} bytes in ${ixfr.ms} ms vs AXFR ${ixfr.axfrBytes.toLocaleString('en')} bytes, ratio ${ixfr.ratio}`,
      );
    } else log('  skipped: dig is absent (bind9-dnsutils)');

    const canonicalize = await benchCanonicalize(plan.urls);
    log(
      `canonicalize: ${canonicalize.perSec} URLs/s vs tldts.parse ${canonicalize.tldtsPerSec}/s, ratio ${canonicalize.ratio}`,
    );

    const result = {
      database: kind,
      quick,
      machine: machine(),
      build,
      buildGrowth: Number(growth.toFixed(2)),
      ingest,
      pull: { notModified: pull.notModified, full: pull.full, entries: pull.entries },
      changes,
      pullDuringBuild: duringBuild,
      removal,
      freshness,
      redistribution,
      canonicalize,
      zoneTransfer,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  })();
} finally {
  await database.drop();
}
