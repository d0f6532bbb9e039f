/**
 * Freshness with WOL_BUILD_DEBOUNCE: from the answer to a domain's second confirmation (the
 * moment it qualifies) to an ISP's pull of latest.txt that has it, over real HTTP, with a list
 * of `entries` already published. No explicit build: the debounced build does it. The delay
 * is configuration; what the service adds on top of it is the build and the pull.
 */
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/database.ts';
import type { Deps } from '../src/deps.ts';
import { createApp } from '../src/http/app.ts';
import { startDebouncedBuilds } from '../src/schedule/debounce.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
import { median } from './measure.ts';
import { resetEvidence, seedQualifying } from './seed.ts';
import { benchToken, serveOnLoopback } from './server.ts';

export interface FreshnessFigure {
  entries: number;
  debounceSeconds: number;
  /** Second confirmation answered -> the domain in a pulled latest.txt (median of the runs). */
  latencyMs: number;
  /** latencyMs less the configured delay: the build and the pull. */
  overheadMs: number;
  buildMs: number;
  runs: number;
}

/**
 * `entries`: a list of that many qualifying domains is seeded first; null keeps the evidence as
 * it is (the build figures' history of reports, issue 16) and builds on it.
 */
export async function benchFreshness(deps: Deps, entries: number | null, debounceSeconds: number, runs = 3) {
  if (entries !== null) {
    await resetEvidence(deps.db);
    await seedQualifying(deps.db, entries, new Date());
  }
  const published = await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } });
  const reporters = [await benchToken(deps, 'reporter', 'hotline'), await benchToken(deps, 'reporter', 'agency')];
  const isp = await benchToken(deps, 'isp', 'isp');
  const debounced = startDebouncedBuilds(deps, debounceSeconds);
  const server = await serveOnLoopback(createApp({ ...deps, evidenceChanged: debounced.trigger }).fetch);
  const latencies: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const domain = `zz-fresh-${run}-${Date.now()}.com`;
      let confirmed = 0;
      for (const [i, token] of reporters.entries()) {
        const res = await fetch(`${server.url}/v1/reports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            externalRef: `${domain}-${i}`,
            url: `http://${domain}/p`,
            assessment: {
              verdict: 'confirmed',
              realChild: true,
              apparentAge: 'prepubescent',
              severity: 8,
              observedOnlineAt: new Date(Date.now() - 86_400_000).toISOString(),
            },
          }),
        });
        if (res.status !== 201) throw new Error(`report answered ${res.status}: ${await res.text()}`);
        confirmed = performance.now();
      }
      // Poll as an eager ISP would (every 100 ms), bounded.
      for (;;) {
        const res = await fetch(`${server.url}/v1/list/latest.txt`, { headers: { authorization: `Bearer ${isp}` } });
        const body = await res.text();
        if (res.status === 200 && body.split('\n').includes(domain)) break;
        if (performance.now() - confirmed > debounceSeconds * 1000 + 600_000) throw new Error('never listed');
        await new Promise((r) => setTimeout(r, 100));
      }
      latencies.push(performance.now() - confirmed);
    }
  } finally {
    await debounced.stop();
    await server.close();
  }
  const [row] = await queryRows<{ ms: number }>(
    deps.db,
    sql`select percentile_cont(0.5) within group (order by duration_ms) as ms from build_runs where trigger = 'debounce'`,
  );
  const latencyMs = Math.round(median(latencies));
  return {
    entries: published.entryCount,
    debounceSeconds,
    latencyMs,
    overheadMs: latencyMs - debounceSeconds * 1000,
    buildMs: Math.round(Number(row?.ms ?? 0)),
    runs,
  } satisfies FreshnessFigure;
}
