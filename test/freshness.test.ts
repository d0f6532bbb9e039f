/**
 * WOL_BUILD_DEBOUNCE: a change of evidence (a confirmation, an observation, an exclusion)
 * starts a build shortly after it commits, so a qualifying domain is pullable, signed, within
 * seconds here (minutes in production); a burst of changes makes one build, not one each.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/database.ts';
import { type App, createApp } from '../src/http/app.ts';
import { type DebouncedBuilds, startDebouncedBuilds } from '../src/schedule/debounce.ts';
import { type Actors, confirming, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

let ctx: TestContext;
let a: Actors;
let app: App;
let debounced: DebouncedBuilds;
let refs = 0;

beforeAll(async () => {
  ctx = await createTestContext({ WOL_BUILD_DEBOUNCE: '1' });
  a = await createActors(ctx);
  debounced = startDebouncedBuilds(ctx.deps, ctx.deps.config.WOL_BUILD_DEBOUNCE!);
  app = createApp({ ...ctx.deps, evidenceChanged: debounced.trigger });
});
afterAll(async () => {
  await debounced.stop();
  await ctx.close();
});

const call = (method: string, url: string, token: string, body?: unknown) =>
  app.request(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

const confirm = (token: string, url: string) =>
  ok<{ id: number }>(
    call('POST', '/v1/reports', token, { externalRef: `f-${++refs}`, url, assessment: confirming(ctx) }),
  );

const debounceBuilds = async () =>
  Number(
    (
      await queryRows<{ n: number }>(
        ctx.deps.db,
        sql`select count(*)::int as n from build_runs where trigger = 'debounce'`,
      )
    )[0]?.n,
  );

/** Polls latest.txt as an ISP would, until `check` holds; returns how long that took. */
async function until(check: (keys: string[]) => boolean, limitMs = 20_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await call('GET', '/v1/list/latest.txt', a.isp);
    if (res.status === 200 && check((await res.text()).split('\n').filter(Boolean))) return performance.now() - started;
    if (performance.now() - started > limitMs) throw new Error('the list did not change in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`debounced builds on ${databaseName}`, () => {
  it('lists a domain within seconds of its second confirmation, with no explicit build', async () => {
    await confirm(a.reporterA, 'http://zz-fresh-one.example/a');
    await confirm(a.reporterB, 'http://zz-fresh-one.example/b');
    const latencyMs = await until((keys) => keys.includes('zz-fresh-one.example'));
    expect(latencyMs).toBeLessThan(10_000);
    const manifest = await call('GET', '/v1/list/manifest', a.isp);
    expect(manifest.status).toBe(200);
    expect(await debounceBuilds()).toBeGreaterThanOrEqual(1);
  });

  it('coalesces a burst of changes into a build or two, not one per change', async () => {
    const before = await debounceBuilds();
    for (let i = 0; i < 10; i++) {
      await confirm(a.reporterA, `http://zz-burst-${i}.example/`);
      await confirm(a.reporterB, `http://zz-burst-${i}.example/`);
    }
    await until((keys) => keys.filter((k) => k.startsWith('zz-burst-')).length === 10);
    expect((await debounceBuilds()) - before).toBeLessThanOrEqual(2);
  });

  it('takes a domain off after an exclusion, and after an observation that the material is gone', async () => {
    await ok(
      call('POST', '/v1/domains/zz-burst-0.example/exclusion', a.analyst, { reason: 'shared host, checked by hand' }),
    );
    await until((keys) => !keys.includes('zz-burst-0.example'));

    const [first, second] = [
      await confirm(a.reporterA, 'http://zz-fresh-gone.example/a'),
      await confirm(a.reporterB, 'http://zz-fresh-gone.example/b'),
    ];
    await until((keys) => keys.includes('zz-fresh-gone.example'));
    for (const report of [first, second])
      await ok(
        call('POST', `/v1/reports/${report.id}/observations`, a.reporterA, {
          observedAt: ctx.now().toISOString(),
          online: false,
        }),
      );
    await until((keys) => !keys.includes('zz-fresh-gone.example'));
  });
});
