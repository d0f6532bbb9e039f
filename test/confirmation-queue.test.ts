/**
 * The confirmation queue (issue 21): domains that pass every criterion but the number of
 * countries or organisations, as of the last build, ranked and paged with a stable cursor; a
 * reporter sees only those its organisation has not assessed and that its country can still add to.
 */

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/database.ts';
import { type Actors, confirming, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

interface Item {
  listKey: string;
  missing: { organisations: number; countries: number; text: string };
  reports: number;
  confirmingOrganisations: number;
  confirmingCountries: number;
  latestOnlineAt: string | null;
}
interface Queue {
  asOf: { version: number | null; builtAt: string } | null;
  total: number;
  items: Item[];
  nextCursor: string | null;
}
const queue = async (token: string, query = '') => {
  const res = await ctx.call('GET', `/v1/confirmation-queue${query}`, { token });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { body: JSON.parse(text) as Queue, text };
};
const keys = (q: Queue) => q.items.map((i) => i.listKey);

describe(`the confirmation queue on ${databaseName}`, () => {
  it('lists a one-country domain to a reporter of another country, not to its own country or its assessor', async () => {
    await report(ctx, a, 'http://zz-cq-one.test/a', { from: [a.reporterA], daysAgo: 2 });
    await build(ctx, a);
    const analyst = await queue(a.analyst);
    expect(analyst.body.items).toEqual([
      {
        listKey: 'zz-cq-one.test',
        missing: { organisations: 1, countries: 1, text: 'one more country' },
        reports: 1,
        confirmingOrganisations: 1,
        confirmingCountries: 1,
        latestOnlineAt: new Date(ctx.now().getTime() - 2 * 86_400_000).toISOString(),
      },
    ]);
    const forB = await queue(a.reporterB); // IT: can add the second country
    expect(keys(forB.body)).toEqual(['zz-cq-one.test']);
    for (const text of [analyst.text, forB.text]) {
      expect(text).not.toContain('ZZ Hotline A');
      expect(text).not.toContain('organisationId');
    }
    expect(keys((await queue(a.reporterC)).body)).toEqual([]); // SE, like A
    expect(keys((await queue(a.reporterA)).body)).toEqual([]); // assessed it
  });

  it('leaves out listed domains and those failing another criterion', async () => {
    await report(ctx, a, 'http://zz-cq-listed.test/a'); // A and B: qualifies
    await report(ctx, a, 'http://zz-cq-mild.test/a', { from: [a.reporterA], assessment: { severity: 2 } });
    await report(ctx, a, 'http://zz-cq-old.test/a', { from: [a.reporterA], daysAgo: 120 });
    await build(ctx, a);
    expect(keys((await queue(a.analyst)).body)).toEqual(['zz-cq-one.test']);
  });

  it('ranks by the newest confirmation, then report count, then key, and pages stably', async () => {
    await report(ctx, a, 'http://zz-cq-older.test/a', { from: [a.reporterA], daysAgo: 20 });
    await report(ctx, a, 'http://zz-cq-busy.test/a', { from: [a.reporterA], daysAgo: 20 });
    await report(ctx, a, 'http://zz-cq-busy.test/b', { from: [a.reporterC], daysAgo: 20 });
    await report(ctx, a, 'http://zz-cq-b.test/a', { from: [a.reporterA], daysAgo: 10 });
    await report(ctx, a, 'http://zz-cq-a.test/a', { from: [a.reporterA], daysAgo: 10 });
    await build(ctx, a);
    const order = ['zz-cq-one.test', 'zz-cq-a.test', 'zz-cq-b.test', 'zz-cq-busy.test', 'zz-cq-older.test'];
    const all = await queue(a.analyst);
    expect(keys(all.body)).toEqual(order);
    expect(all.body.total).toBe(5);
    // Two organisations of one country: it waits for a country, and only a country.
    expect(all.body.items[3]!.missing).toEqual({ organisations: 0, countries: 1, text: 'one more country' });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Queue = (await queue(a.analyst, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      seen.push(...keys(page));
      cursor = page.nextCursor;
      // A domain joining ahead of the cursor mid-way (a build) does not shift the pages after it.
      if (++pages === 1) {
        await report(ctx, a, 'http://zz-cq-new.test/a', { from: [a.reporterA], daysAgo: 1 });
        await build(ctx, a);
      }
    } while (cursor);
    expect(seen).toEqual(order);
    expect(keys((await queue(a.analyst)).body)).toEqual(['zz-cq-new.test', ...order]);
  });

  it('follows the build, says which, and drops what a reporter has just assessed at once', async () => {
    await report(ctx, a, 'http://zz-cq-later.test/a', { from: [a.reporterA], daysAgo: 1 });
    const before = (await queue(a.analyst)).body;
    expect(keys(before)).not.toContain('zz-cq-later.test'); // not until a build evaluates it
    const built = await build(ctx, a);
    const after = (await queue(a.analyst)).body;
    expect(keys(after)).toContain('zz-cq-later.test');
    expect(after.asOf).toEqual({ version: built.version, builtAt: ctx.now().toISOString() });
    expect(after.total).toBe(before.total + 1);

    // B assesses it (not a confirmation): B's pages leave it out now; its total is as of the build.
    const forB = (await queue(a.reporterB)).body;
    expect(keys(forB)).toContain('zz-cq-later.test');
    const [later] = await queryRows<{ id: number }>(
      ctx.deps.db,
      sql`select id from reports where url_canonical = 'http://zz-cq-later.test/a'`,
    );
    await ok(
      ctx.call('POST', `/v1/reports/${later!.id}/assessments`, {
        token: a.reporterB,
        body: confirming(ctx, 1, { verdict: 'not_confirmed' }),
      }),
    );
    const forBNow = (await queue(a.reporterB)).body;
    expect(keys(forBNow)).not.toContain('zz-cq-later.test');
    expect(forBNow.total).toBe(forB.total);
    await build(ctx, a);
    expect((await queue(a.reporterB)).body.total).toBe(forB.total - 1);
  });

  it('refuses a cursor it did not give, and a limit out of range, as problems', async () => {
    for (const query of ['?cursor=bm9wZQ', '?limit=0', '?limit=501']) {
      const res = await ctx.call('GET', `/v1/confirmation-queue${query}`, { token: a.analyst });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
