/**
 * Time to listing (issue 21 item 4): from a domain's first report to the first version that
 * lists it, recorded once per domain (a re-listing keeps the first), and shown as the /metrics
 * histogram (parsed by Prometheus' own client), the console dashboard and the version page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { createPrometheusMetrics } from '../src/prometheus-metrics.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { ConsoleClient } from './support/console.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed, report } from './support/evidence.ts';
import { havePrometheusParser, parsePrometheus, value } from './support/prometheus.ts';

const DAY_MS = 86_400_000;
let ctx: TestContext;
let a: Actors;
let start: Date;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  start = ctx.now();
});
afterAll(() => ctx.close());

const at = (days: number) => ctx.setNow(new Date(start.getTime() + days * DAY_MS));
const scrape = async () => {
  const app = createApp({ ...ctx.deps, metrics: createPrometheusMetrics(ctx.deps) });
  const res = await app.request('/metrics', { headers: { authorization: `Bearer ${a.admin}` } });
  expect(res.status).toBe(200);
  return res.text();
};

describe(`time to listing on ${databaseName}`, () => {
  it('records each listed domain once, from its first report to the first version listing it', async () => {
    at(0);
    await report(ctx, a, 'http://zz-ttl-slow.test/a', { from: [a.reporterA], daysAgo: 1 });
    at(0.1);
    await report(ctx, a, 'http://zz-ttl-fast.test/a', { from: [a.reporterA], daysAgo: 1 });
    await report(ctx, a, 'http://zz-ttl-fast.test/b', { from: [a.reporterB], daysAgo: 1 });
    const first = await build(ctx, a); // zz-ttl-fast.test: first report to listing in 0 s
    at(3);
    await report(ctx, a, 'http://zz-ttl-slow.test/b', { from: [a.reporterB], daysAgo: 1 });
    const second = await build(ctx, a); // zz-ttl-slow.test: 3 days
    expect(await listed(ctx, a)).toEqual(['zz-ttl-fast.test', 'zz-ttl-slow.test']);

    // Excluded, rebuilt, restored, rebuilt: listed again, still counted once, with its first time.
    await ok(
      ctx.call('POST', '/v1/domains/zz-ttl-fast.test/exclusion', { token: a.analyst, body: { reason: 'a re-check' } }),
    );
    await build(ctx, a);
    await ok(
      ctx.call('DELETE', '/v1/domains/zz-ttl-fast.test/exclusion', { token: a.analyst, body: { reason: 'confirmed' } }),
    );
    const relisted = await build(ctx, a);
    expect(relisted.added).toBe(1);

    // The API's build answers and runs carry the same per-version figures.
    const day = 86_400;
    expect(first.timeToListing).toEqual({ firstListed: 1, medianSeconds: 0, maxSeconds: 0 });
    expect(second.timeToListing).toEqual({ firstListed: 1, medianSeconds: 3 * day, maxSeconds: 3 * day });
    expect(relisted.timeToListing).toEqual({ firstListed: 0, medianSeconds: null, maxSeconds: null });
    expect((await build(ctx, a)).timeToListing).toBeNull(); // nothing changed: no version made
    const { items: runs } = await ok<{
      items: { outcome: string; version: number | null; timeToListing: unknown }[];
    }>(ctx.call('GET', '/v1/builds?limit=10', { token: a.analyst }));
    expect(runs[0]).toMatchObject({ outcome: 'unchanged', timeToListing: null });
    expect(runs.find((r) => r.version === second.version && r.outcome === 'changed')?.timeToListing).toEqual(
      second.timeToListing,
    );

    const client = new ConsoleClient(ctx);
    expect((await client.signIn(a.analyst)).status).toBe(303);
    const one = (await client.get(`/console/versions/${second.version}`)).html;
    expect(one).toContain('Listed for the first time');
    expect(one).toContain('median 3.0 d, longest 3.0 d');
    expect((await client.get(`/console/versions/${first.version}`)).html).toContain('median 0 min');
    expect((await client.get(`/console/versions/${relisted.version}`)).html).toMatch(
      /Listed for the first time<\/dt><dd>0<\/dd>/,
    );
    const dashboard = (await client.get('/console')).html;
    expect(dashboard).toContain('Time from first report to listing');
    expect(dashboard).toContain('2 listed domains, each counted once');

    const text = await scrape();
    expect(text).toContain('# TYPE worstof_time_to_listing_seconds histogram');
    expect(text).toContain('worstof_time_to_listing_seconds_count 2');
    expect(text).toContain(`worstof_time_to_listing_seconds_sum ${3 * 86_400}`);
    expect(text).toContain('worstof_time_to_listing_seconds_bucket{le="3600"} 1');
    expect(text).toContain('worstof_time_to_listing_seconds_bucket{le="259200"} 2');
    if (havePrometheusParser) {
      const families = await parsePrometheus(text);
      expect(value(families, 'worstof_time_to_listing_seconds_bucket', { le: '+Inf' })).toBe(2);
      expect(value(families, 'worstof_time_to_listing_seconds_bucket', { le: '172800' })).toBe(1);
    }
  });
});
