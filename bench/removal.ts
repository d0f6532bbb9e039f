/**
 * Removal latency: for a listed domain whose every report gets an offline observation, the
 * time until a pulled list no longer has it when a build is triggered at once. Measured over
 * real HTTP as a hotline, an analyst and an ISP would do it: POST /v1/observations, POST
 * /v1/builds, GET /v1/list/latest.txt. A list of `entries` keys is built first, so the build
 * inside the figure is an incremental one at that size.
 */
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/database.ts';
import type { Deps } from '../src/deps.ts';
import { createApp } from '../src/http/app.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
import { median, round, timed } from './measure.ts';
import { resetEvidence, seedQualifying } from './seed.ts';
import { benchToken, serveOnLoopback } from './server.ts';

export interface RemovalFigure {
  entries: number;
  samples: number;
  observeMs: number;
  buildMs: number;
  pullMs: number;
  totalMs: number;
}

export async function benchRemoval(deps: Deps, entries: number, samples = 5): Promise<RemovalFigure> {
  await resetEvidence(deps.db);
  await seedQualifying(deps.db, entries, new Date());
  await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } });
  const analyst = { authorization: `Bearer ${await benchToken(deps, 'analyst', 'operator')}` };
  const isp = { authorization: `Bearer ${await benchToken(deps, 'isp', 'isp')}` };
  const server = await serveOnLoopback(createApp(deps).fetch);
  const figures: { observe: number; build: number; pull: number; total: number }[] = [];
  try {
    for (let i = 1; i <= samples; i++) {
      const key = `zz-list-${Math.ceil((i * entries) / (samples + 1))}.com`;
      const reports = await queryRows<{ id: number }>(deps.db, sql`select id from reports where list_key = ${key}`);
      const observations = reports.map((r) => ({
        reportId: Number(r.id),
        online: false,
        observedAt: new Date().toISOString(),
      }));
      const post = async (path: string, body: unknown) => {
        const res = await fetch(server.url + path, {
          method: 'POST',
          headers: { ...analyst, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      };
      const observe = await timed(() => post('/v1/observations', { observations }));
      const build = await timed(() => post('/v1/builds', {}));
      const pull = await timed(async () => {
        const res = await fetch(`${server.url}/v1/list/latest.txt`, { headers: { ...isp, 'accept-encoding': 'gzip' } });
        return (await res.text()).split('\n');
      });
      if (pull.value.includes(key)) throw new Error(`${key} is still listed after the build`);
      figures.push({ observe: observe.ms, build: build.ms, pull: pull.ms, total: observe.ms + build.ms + pull.ms });
    }
  } finally {
    await server.close();
  }
  const med = (pick: (f: (typeof figures)[number]) => number) => round(median(figures.map(pick)), 1);
  return {
    entries,
    samples,
    observeMs: med((f) => f.observe),
    buildMs: med((f) => f.build),
    pullMs: med((f) => f.pull),
    totalMs: med((f) => f.total),
  };
}
