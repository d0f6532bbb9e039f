/**
 * Pull latency while a build runs: p99 of 304 pulls of latest.txt (autocannon, real HTTP) with
 * no build, during a build rendering inline on the serving thread, and during a build on the
 * render thread as `worstof serve` does. Each build publishes a new version of `entries` keys
 * (new keys are seeded first, so every build renders every artifact). On PGlite the database's
 * own statements still run on the serving thread: the thread removes the rendering only.
 */
import autocannon from 'autocannon';
import type { Deps } from '../src/deps.ts';
import { createApp } from '../src/http/app.ts';
import { threadRenderer } from '../src/render-thread.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { resetEvidence, seedQualifying } from './seed.ts';
import { benchToken, serveOnLoopback } from './server.ts';

/** 304 polls per second: far above what the ISPs of a country send, well below saturation here. */
const RATE = 500;

export interface PullDuringBuild {
  entries: number;
  idleP99Ms: number;
  inline: { p99Ms: number; maxMs: number; buildMs: number };
  thread: { p99Ms: number; maxMs: number; buildMs: number };
}

export async function benchPullDuringBuild(deps: Deps, entries: number, seconds: number): Promise<PullDuringBuild> {
  await resetEvidence(deps.db);
  await seedQualifying(deps.db, entries, new Date());
  await buildSnapshot(deps, { trigger: 'cli' });
  const token = await benchToken(deps, 'isp', 'isp');
  const renderer = threadRenderer();
  // Started once per process in `serve`: its start-up (loading the sources) is not a build's cost.
  await renderer.render([], { list: 'worst-of', version: 1, createdAt: new Date() });
  const ours = await serveOnLoopback(createApp(deps).fetch);
  const url = `${ours.url}/v1/list/latest.txt`;
  const etag = (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).headers.get('etag')!;
  const headers = { authorization: `Bearer ${token}`, 'if-none-match': etag };
  let round = 0;

  const underLoad = async (render?: Deps['renderArtifacts'] | 'inline') => {
    // New keys first, outside the measurement: the build under load renders every artifact anew.
    if (render)
      await seedQualifying(deps.db, Math.max(1, Math.floor(entries / 100)), new Date(), `zz-round${round++}-`);
    // A fixed rate, not flat out: a saturated loop queues every request behind the build's own work.
    const running = autocannon({ url, connections: 16, duration: seconds, headers, overallRate: RATE });
    let buildMs = 0;
    if (render) {
      await new Promise((r) => setTimeout(r, 500));
      const started = performance.now();
      await buildSnapshot({ ...deps, ...(render === 'inline' ? {} : { renderArtifacts: render }) }, { trigger: 'cli' });
      buildMs = Math.round(performance.now() - started);
    }
    const result = await running;
    return { p99Ms: result.latency.p99, maxMs: result.latency.max, buildMs };
  };
  try {
    const idle = await underLoad();
    const inline = await underLoad('inline');
    const thread = await underLoad(renderer.render);
    return { entries, idleP99Ms: idle.p99Ms, inline, thread };
  } finally {
    await ours.close();
    await renderer.close();
  }
}
