/**
 * The re-check queue: listed domains whose newest confirmation is older than the review age,
 * oldest first, those with an open delisting request before all others; empty once re-checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewQueueQuery } from '../src/schemas/review.ts';
import { recordedReviewQueue } from '../src/services/review.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed, report } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

interface Item {
  listKey: string;
  openDelistingRequests: number;
  lastConfirmedAt: string | null;
  expiresAt: string | null;
  daysLeft: number;
  reportCount: number;
  reports: { id: number; url: string; organisation: { name: string; country: string }; lastConfirmedAt: string }[];
}
interface Queue {
  reviewAfterDays: number;
  total: number;
  items: Item[];
  nextCursor: string | null;
}
const queue = (query = '') => ok<Queue>(ctx.call('GET', `/v1/review-queue${query}`, { token: a.analyst }));
const keys = (q: Queue) => q.items.map((i) => i.listKey);
/** The queue as the last build recorded it (the console's), in the API's JSON. */
const recorded = async (): Promise<Queue> => {
  const { asOf: _, ...q } = await recordedReviewQueue(ctx.deps, { limit: 50 });
  return JSON.parse(JSON.stringify(q));
};
const daysAgo = (days: number) => new Date(ctx.now().getTime() - days * 86_400_000).toISOString();
const ids: Record<string, number[]> = {};

describe(`the re-check queue on ${databaseName}`, () => {
  it('is empty while nothing is listed', async () => {
    expect(await queue()).toEqual({ reviewAfterDays: 30, total: 0, items: [], nextCursor: null });
    expect(await recorded()).toEqual({ reviewAfterDays: 30, total: 0, items: [], nextCursor: null });
  });

  it('lists exactly the listed domains past the review age, oldest first, with the days left', async () => {
    ids.fresh = await report(ctx, a, 'http://zz-q-fresh.com/a', { daysAgo: 10 });
    ids.sixty = await report(ctx, a, 'http://zz-q-60.com/a', { daysAgo: 60 });
    ids.forty = await report(ctx, a, 'http://zz-q-40.com/a', { daysAgo: 40 });
    ids.thirtyFive = await report(ctx, a, 'http://zz-q-35.com/a', { daysAgo: 35 });
    // Newest confirmation 45 days ago, but B's (70 days) ages out first: 20 days left, not 45.
    ids.mixed = [
      ...(await report(ctx, a, 'http://zz-q-mixed.com/a', { from: [a.reporterA], daysAgo: 45 })),
      ...(await report(ctx, a, 'http://zz-q-mixed.com/b', { from: [a.reporterB], daysAgo: 70 })),
    ];
    await report(ctx, a, 'http://zz-q-candidate.com/a', { from: [a.reporterA], daysAgo: 50 }); // never listed
    await build(ctx, a);
    expect(await listed(ctx, a)).toHaveLength(5);

    const q = await queue();
    expect(keys(q)).toEqual(['zz-q-60.com', 'zz-q-mixed.com', 'zz-q-40.com', 'zz-q-35.com']);
    expect(q.total).toBe(4);
    expect(q.items.map((i) => [i.listKey, i.daysLeft])).toEqual([
      ['zz-q-60.com', 30],
      ['zz-q-mixed.com', 20],
      ['zz-q-40.com', 50],
      ['zz-q-35.com', 55],
    ]);
    const mixed = q.items[1]!;
    expect(mixed.lastConfirmedAt).toBe(daysAgo(45));
    expect(mixed.expiresAt).toBe(new Date(ctx.now().getTime() + 20 * 86_400_000).toISOString());
    expect(mixed.reportCount).toBe(2);
    // Stalest first: the report B confirmed 70 days ago.
    expect(mixed.reports.map((r) => [r.id, r.url, r.organisation.country])).toEqual([
      [ids.mixed[1], 'http://zz-q-mixed.com/b', 'IT'],
      [ids.mixed[0], 'http://zz-q-mixed.com/a', 'SE'],
    ]);
    expect(q.items[0]!.reports.map((r) => r.organisation.name).sort()).toEqual(['ZZ Agency B', 'ZZ Hotline A']);
    // The build recorded the same queue.
    expect(await recorded()).toEqual(q);
  });

  it('puts domains with an open delisting request first, whatever their age', async () => {
    for (const domain of ['zz-q-35.com', 'www.zz-q-fresh.com', 'zz-q-never-listed.com'])
      await ok(
        ctx.call('POST', '/v1/delisting-requests', {
          body: { domain, contact: 'owner@zz-site.example', statement: 'Please review my site, it is clean.' },
        }),
        202,
      );
    const q = await queue();
    expect(keys(q)).toEqual(['zz-q-35.com', 'zz-q-fresh.com', 'zz-q-60.com', 'zz-q-mixed.com', 'zz-q-40.com']);
    expect(q.items.map((i) => i.openDelistingRequests)).toEqual([1, 1, 0, 0, 0]);
    // Requests count at once in the recorded queue too.
    expect(await recorded()).toEqual(q);
  });

  it('pages with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const q: Queue = await queue(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(q.total).toBe(5);
      seen.push(...keys(q));
      cursor = q.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['zz-q-35.com', 'zz-q-fresh.com', 'zz-q-60.com', 'zz-q-mixed.com', 'zz-q-40.com']);
    expect((await ctx.call('GET', '/v1/review-queue?cursor=bm9wZQ', { token: a.analyst })).status).toBe(400);
    const recordedPages: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { cursor } = reviewQueueQuery.parse(after ? { cursor: after } : {});
      const q = await recordedReviewQueue(ctx.deps, { limit: 2, cursor });
      expect(q.total).toBe(5);
      recordedPages.push(...q.items.map((i) => i.listKey));
      after = q.nextCursor;
      if (!after) break;
    }
    expect(recordedPages).toEqual(seen);
  });

  it('drops a domain once a report is observed online again, and is empty when all were re-checked', async () => {
    await ok(
      ctx.call('POST', '/v1/observations', {
        token: a.reporterC,
        body: { observations: [{ reportId: ids.sixty![0], online: true, observedAt: daysAgo(0) }] },
      }),
    );
    expect(keys(await queue())).not.toContain('zz-q-60.com');
    // The recorded queue takes the observation at the next build.
    expect(keys(await recorded())).toContain('zz-q-60.com');
    await build(ctx, a);
    expect(await recorded()).toEqual(await queue());

    const open = await ok<{ items: { id: string }[] }>(
      ctx.call('GET', '/v1/delisting-requests?state=open', { token: a.analyst }),
    );
    for (const request of open.items)
      await ok(
        ctx.call('POST', `/v1/delisting-requests/${request.id}/decision`, {
          token: a.analyst,
          body: { decision: 'reject', reason: 're-checked: material still online' },
        }),
      );
    const due = await queue();
    expect(keys(due)).toEqual(['zz-q-mixed.com', 'zz-q-40.com', 'zz-q-35.com']);
    const observations = due.items.flatMap((i) =>
      i.reports.map((r) => ({ reportId: r.id, online: true, observedAt: daysAgo(0) })),
    );
    await ok(ctx.call('POST', '/v1/observations', { token: a.reporterC, body: { observations } }));
    expect(await queue()).toMatchObject({ total: 0, items: [], nextCursor: null });
    await build(ctx, a);
    expect(await recorded()).toMatchObject({ total: 0, items: [], nextCursor: null });
  });

  it('leaves out, at once, a domain excluded since the build', async () => {
    await report(ctx, a, 'http://zz-q-excluded.com/a', { daysAgo: 50 });
    await build(ctx, a);
    expect(keys(await recorded())).toEqual(['zz-q-excluded.com']);
    // A decision after the build's instant (the test clock stands still otherwise).
    ctx.setNow(new Date(ctx.now().getTime() + 1000));
    await ok(
      ctx.call('POST', '/v1/domains/zz-q-excluded.com/exclusion', {
        token: a.analyst,
        body: { reason: 'false positive, checked by hand' },
      }),
      201,
    );
    expect(keys(await queue())).toEqual([]);
    expect(keys(await recorded())).toEqual([]);
    await build(ctx, a);
    expect(keys(await recorded())).toEqual([]);
  });

  it('matches a request to a domain listed by hostname (shared hosting)', async () => {
    await ok(
      ctx.call('PUT', '/v1/domains/zz-q-shared.com/policy', {
        token: a.analyst,
        body: { granularity: 'hostname', reason: 'shared image host' },
      }),
    );
    await report(ctx, a, 'http://img.zz-q-shared.com/x', { daysAgo: 5 });
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('img.zz-q-shared.com');
    // Requests are one per registrable domain, contact and day: two contacts here.
    const ask = (domain: string, contact: string) =>
      ok(
        ctx.call('POST', '/v1/delisting-requests', {
          body: { domain, contact, statement: 'We host many users; please review.' },
        }),
        202,
      );
    await ask('other.zz-q-shared.com', 'one@zz-q-shared.com');
    expect(keys(await queue())).toEqual([]);
    await ask('cdn.img.zz-q-shared.com', 'two@zz-q-shared.com');
    const q = await queue();
    expect(q.items.map((i) => [i.listKey, i.openDelistingRequests])).toEqual([['img.zz-q-shared.com', 1]]);
  });
});
