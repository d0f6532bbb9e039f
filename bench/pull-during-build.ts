/**
 * Pull latency while a build runs: p99 of 304 pulls of latest.txt (autocannon in a process of
 * its own, real HTTP) with no build, during a build rendering inline on the serving thread,
 * during a build on the render thread (`worstof serve` on PGlite) and, on PostgreSQL, during a
 * build on the build thread (`worstof serve` there). Each build publishes a new version of
 * `entries` keys (new keys are seeded first, so every build renders every artifact). On PGlite
 * the database's own statements still run on the serving thread: the thread removes the
 * rendering only.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { buildThread } from '../src/build-thread.ts';
import type { Deps } from '../src/deps.ts';
import { createApp } from '../src/http/app.ts';
import { threadRenderer } from '../src/render-thread.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
import { resetEvidence, seedQualifying } from './seed.ts';
import { benchToken, serveOnLoopback } from './server.ts';

/** 304 polls per second: far above what the ISPs of a country send, well below saturation here. */
const RATE = 500;

interface UnderLoad {
  p99Ms: number;
  maxMs: number;
  buildMs: number;
  /**
   * The serving thread's longest event-loop stall: what the build takes from it, apart from
   * the cores the build, PostgreSQL and the load generator take from the whole machine.
   */
  loopMaxMs: number;
}

export interface PullDuringBuild {
  entries: number;
  idleP99Ms: number;
  inline: UnderLoad;
  thread: UnderLoad;
  /** PostgreSQL only. */
  buildThread: UnderLoad | null;
}

const autocannonBin = path.join(
  path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')),
  'autocannon.js',
);

/** The load from another process, so the load generator takes nothing from the serving thread. */
async function load(url: string, headers: Record<string, string>, seconds: number) {
  const args = [autocannonBin, '--json', '-c', '16', '-d', String(seconds), '-R', String(RATE)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const { stdout } = await promisify(execFile)(process.execPath, [...args, url], { maxBuffer: 2 ** 24 });
  return JSON.parse(stdout) as { latency: { p99: number; max: number } };
}

export async function benchPullDuringBuild(
  deps: Deps,
  entries: number,
  seconds: number,
  databaseUrl: string | null,
): Promise<PullDuringBuild> {
  await resetEvidence(deps.db);
  await seedQualifying(deps.db, entries, new Date());
  await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } });
  const token = await benchToken(deps, 'isp', 'isp');
  const renderer = threadRenderer();
  // Started once per process in `serve`: its start-up (loading the sources) is not a build's cost.
  await renderer.render([], { list: 'worst-of', version: 1, createdAt: new Date() });
  const builder = databaseUrl
    ? buildThread({ DATABASE_URL: databaseUrl, DATA_DIR: deps.config.DATA_DIR, LOG_LEVEL: 'silent' })
    : null;
  // Likewise: its first (unchanged) build loads the sources and opens its connections.
  if (builder)
    await buildSnapshot({ ...deps, buildThread: builder.call }, { caller: systemCaller, input: { trigger: 'cli' } });
  const ours = await serveOnLoopback(createApp(deps).fetch);
  const url = `${ours.url}/v1/list/latest.txt`;
  const etag = (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).headers.get('etag')!;
  const headers = { authorization: `Bearer ${token}`, 'if-none-match': etag };
  let round = 0;

  const underLoad = async (how?: Partial<Pick<Deps, 'renderArtifacts' | 'buildThread'>>): Promise<UnderLoad> => {
    // New keys first, outside the measurement: the build under load renders every artifact anew.
    if (how) await seedQualifying(deps.db, Math.max(1, Math.floor(entries / 100)), new Date(), `zz-round${round++}-`);
    // A fixed rate, not flat out: a saturated loop queues every request behind the build's own work.
    const running = load(url, headers, seconds);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let buildMs = 0;
    if (how) {
      // The load process starts first (about half a second) and runs through the build.
      await new Promise((r) => setTimeout(r, 1500));
      const started = performance.now();
      await buildSnapshot({ ...deps, ...how }, { caller: systemCaller, input: { trigger: 'cli' } });
      buildMs = Math.round(performance.now() - started);
    }
    const result = await running;
    loop.disable();
    const loopMaxMs = Math.round(loop.max / 1e6);
    return { p99Ms: result.latency.p99, maxMs: result.latency.max, buildMs, loopMaxMs };
  };
  try {
    const idle = await underLoad();
    const inline = await underLoad({});
    const thread = await underLoad({ renderArtifacts: renderer.render });
    const onBuildThread = builder ? await underLoad({ buildThread: builder.call }) : null;
    return { entries, idleP99Ms: idle.p99Ms, inline, thread, buildThread: onBuildThread };
  } finally {
    await ours.close();
    await renderer.close();
    await builder?.close();
  }
}
