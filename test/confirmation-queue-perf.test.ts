/**
 * The confirmation queue at 100,000 candidates (issue 21): 100,000 domains each confirmed by
 * one organisation, seeded with set-based SQL, and a build that records the queue. Then the
 * first page, the pages after a cursor and the reporters' views are read from the build's table.
 * Their target is the console pages' 200 ms, printed here; the test fails at 1 s (CEILING_MS),
 * far above an indexed read on a loaded machine and below a computation of the queue at 100,000.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, confirming, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build } from './support/evidence.ts';

const DOMAINS = 100_000;
const CEILING_MS = 1000;

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  const seen = confirming(ctx, 3).observedOnlineAt;
  const at = ctx.now().toISOString();
  await ctx.deps.db.execute(sql`
    insert into reports (organisation_id, external_ref, url, url_canonical, host, domain, list_key, received_at)
    select ${a.orgs.hotlineA}, 'cqp-' || i, 'http://' || k || '/', 'http://' || k || '/', k, k, k, ${at}::timestamptz
    from (select i, substr(md5(i::text), 1, 12) || '.cqp.example' as k from generate_series(1, ${DOMAINS}) i) s`);
  // Spread over 100 days-worth of minutes so the ranking has something to sort.
  await ctx.deps.db.execute(sql`
    insert into assessments (report_id, organisation_id, observed_online_at, verdict, real_child, apparent_age, severity)
    select id, ${a.orgs.hotlineA}, ${seen}::timestamptz - make_interval(mins => id % 100000), 'confirmed', true,
           'prepubescent', 7 from reports where external_ref like 'cqp-%'`);
  await ctx.deps.db.execute(sql`analyze`);
}, 300_000);
afterAll(() => ctx.close());

const timed = async (token: string, query = '') => {
  const t0 = performance.now();
  const body = await ok<{ total: number; items: { listKey: string }[]; nextCursor: string | null }>(
    ctx.call('GET', `/v1/confirmation-queue${query}`, { token }),
  );
  return { body, ms: performance.now() - t0 };
};
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

describe(`the confirmation queue at ${DOMAINS} candidates on ${databaseName}`, () => {
  it('pages the queue the build recorded far below computing it, the first page too', async () => {
    const t0 = performance.now();
    await build(ctx, a);
    const buildMs = performance.now() - t0;
    const cold = await timed(a.analyst, '?limit=50');
    expect(cold.body.total).toBe(DOMAINS);
    expect(cold.body.items).toHaveLength(50);
    const warm: number[] = [];
    let cursor = cold.body.nextCursor;
    for (let i = 0; i < 5; i++) {
      const page = await timed(a.analyst, `?limit=50&cursor=${cursor}`);
      expect(page.body.items).toHaveLength(50);
      cursor = page.body.nextCursor;
      warm.push(page.ms);
    }
    const reporter: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await timed(a.reporterB, '?limit=50');
      expect(page.body.total).toBe(DOMAINS);
      reporter.push(page.ms);
    }
    const sameCountry = await timed(a.reporterC, '?limit=50');
    expect(sameCountry.body.total).toBe(0);
    console.info(
      `confirmation queue, ${DOMAINS} candidates: the build recording it ${Math.round(buildMs)} ms, ` +
        `first page ${Math.round(cold.ms)} ms, later pages median ${Math.round(median(warm))} ms, ` +
        `a reporter's view median ${Math.round(median(reporter))} ms, ` +
        `its own country's (none to show) ${Math.round(sameCountry.ms)} ms`,
    );
    expect(cold.ms).toBeLessThan(CEILING_MS);
    expect(median(warm)).toBeLessThan(CEILING_MS);
    expect(median(reporter)).toBeLessThan(CEILING_MS);
  }, 300_000);
});
