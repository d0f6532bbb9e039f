import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshots } from '../src/db/schema.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
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

interface Explanation {
  state: string;
  evaluation: { included: boolean; criteria: { name: string; pass: boolean; observed: unknown; required: unknown }[] };
  evidence: { countries: string[]; hosts: { host: string }[] };
  decisions: { kind: string; reason: string }[];
  history: { addedVersion: number; removedVersion: number | null }[];
}
const explain = (key: string) => ok<Explanation>(ctx.call('GET', `/v1/domains/${key}`, { token: a.analyst }));
const failing = (e: Explanation) => e.evaluation.criteria.filter((c) => !c.pass).map((c) => c.name);
const snapshotCount = async () => (await ctx.deps.db.select({ n: count() }).from(snapshots))[0]!.n;

describe(`the compiler on ${databaseName}`, () => {
  it('lists a domain confirmed by two organisations of two countries', async () => {
    await report(ctx, a, 'http://img.zz-qualifies.com/a');
    const first = await build(ctx, a);
    expect(first).toMatchObject({ version: 1, changed: true, added: 1, removed: 0 });
    expect(await listed(ctx, a)).toEqual(['zz-qualifies.com']);
    const why = await explain('zz-qualifies.com');
    expect(why.state).toBe('listed');
    expect(why.evaluation.included).toBe(true);
    expect(why.evidence.countries).toEqual(['IT', 'SE']);
    expect(why.history).toEqual([{ addedVersion: 1, removedVersion: null }]);
  });

  it.each([
    ['realChild', { assessment: { realChild: false } }],
    ['apparentAge', { assessment: { apparentAge: 'pubescent' } }],
    ['severity', { assessment: { severity: 3 } }],
    ['onlineWithinDays', { daysAgo: 91 }],
  ])('keeps a domain off when only %s fails, and says so', async (criterion, options) => {
    const key = `zz-fails-${criterion.toLowerCase()}.com`;
    await report(ctx, a, `http://${key}/x`, options);
    await build(ctx, a);
    expect(await listed(ctx, a)).not.toContain(key);
    const why = await explain(key);
    expect(why.state).toBe('candidate');
    expect(why.evaluation.included).toBe(false);
    // The per-item criterion fails, and so the confirmations it disqualifies do not count.
    expect(failing(why)).toEqual([criterion, 'confirmingOrganisations', 'confirmingCountries']);
  });

  it('needs two organisations: one organisation alone is not enough', async () => {
    await report(ctx, a, 'http://zz-one-org.com/', { from: [a.reporterA] });
    await build(ctx, a);
    expect(failing(await explain('zz-one-org.com'))).toEqual(['confirmingOrganisations', 'confirmingCountries']);
  });

  it('needs two countries: two organisations of one country are not enough', async () => {
    await report(ctx, a, 'http://zz-one-country.com/', { from: [a.reporterA, a.reporterC] });
    await build(ctx, a);
    expect(await listed(ctx, a)).not.toContain('zz-one-country.com');
    expect(failing(await explain('zz-one-country.com'))).toEqual(['confirmingCountries']);
  });

  it('does not add up two half-matching assessments', async () => {
    // A says real child but adult; B says prepubescent but not a real child: no single item qualifies.
    await report(ctx, a, 'http://zz-halves.com/', { from: [a.reporterA], assessment: { apparentAge: 'adult' } });
    await report(ctx, a, 'http://zz-halves.com/', { from: [a.reporterB], assessment: { realChild: false } });
    await build(ctx, a);
    const why = await explain('zz-halves.com');
    expect(why.evaluation.included).toBe(false);
    expect(failing(why)).toEqual(['confirmingOrganisations', 'confirmingCountries']);
  });

  it('gives no new version when nothing changed, but refreshes the timestamp', async () => {
    const before = await snapshotCount();
    const t1 = await ctx.call('GET', '/v1/list/timestamp', { token: a.isp }).then((r) => r.text());
    ctx.setNow(new Date(ctx.now().getTime() + 60_000));
    const again = await build(ctx, a);
    expect(again.changed).toBe(false);
    expect(await snapshotCount()).toBe(before);
    const t2 = await ctx.call('GET', '/v1/list/timestamp', { token: a.isp }).then((r) => r.text());
    expect(t2).not.toBe(t1);
  });

  it('excludes and restores a domain, keeping the history', async () => {
    expect(
      (
        await ctx.call('POST', '/v1/domains/zz-qualifies.com/exclusion', {
          token: a.analyst,
          body: { reason: 'false positive: a parked page' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await ctx.call('POST', '/v1/domains/zz-qualifies.com/exclusion', {
          token: a.analyst,
          body: { reason: 'again' },
        })
      ).status,
    ).toBe(409);
    const removed = await build(ctx, a);
    expect(removed).toMatchObject({ changed: true, removed: 1 });
    expect(await listed(ctx, a)).not.toContain('zz-qualifies.com');
    const why = await explain('zz-qualifies.com');
    expect(why.state).toBe('excluded');
    expect(failing(why)).toEqual(['notExcluded']);

    await ok(
      ctx.call('DELETE', '/v1/domains/zz-qualifies.com/exclusion', {
        token: a.analyst,
        body: { reason: 'reviewed again: abuse confirmed' },
      }),
    );
    const back = await build(ctx, a);
    expect(back).toMatchObject({ changed: true, added: 1 });
    expect(await listed(ctx, a)).toContain('zz-qualifies.com');
    const after = await explain('zz-qualifies.com');
    expect(after.decisions.map((d) => d.kind)).toEqual(['restore', 'exclusion']);
    expect(after.history).toEqual([
      { addedVersion: 1, removedVersion: removed.version },
      { addedVersion: back.version, removedVersion: null },
    ]);
  });

  it('lists full hostnames under a shared-hosting domain with a hostname policy', async () => {
    await report(ctx, a, 'http://alice.zz-shared-host.com/1');
    await report(ctx, a, 'http://bob.zz-shared-host.com/2', { from: [a.reporterA] });
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-shared-host.com');
    const policy = await ok<{ rekeyedReports: number }>(
      ctx.call('PUT', '/v1/domains/zz-shared-host.com/policy', {
        token: a.analyst,
        body: { granularity: 'hostname', reason: 'shared image host' },
      }),
    );
    expect(policy.rekeyedReports).toBe(3);
    await build(ctx, a);
    const keys = await listed(ctx, a);
    expect(keys).toContain('alice.zz-shared-host.com');
    expect(keys).not.toContain('bob.zz-shared-host.com'); // one organisation only
    expect(keys).not.toContain('zz-shared-host.com');
    // New reports under the domain are keyed by host from now on.
    const fresh = await ok<{ listKey: string }>(
      ctx.call('POST', '/v1/reports', {
        token: a.reporterA,
        body: { externalRef: 'shared-new', url: 'http://carol.zz-shared-host.com/' },
      }),
    );
    expect(fresh.listKey).toBe('carol.zz-shared-host.com');
    expect(
      (
        await ctx.call('PUT', '/v1/domains/alice.zz-shared-host.com/policy', {
          token: a.analyst,
          body: { granularity: 'hostname', reason: 'x y z' },
        })
      ).status,
    ).toBe(422);
  });

  it('drops a domain whose evidence went stale at the next build', async () => {
    await report(ctx, a, 'http://zz-goes-stale.com/', { daysAgo: 80 });
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-goes-stale.com');
    ctx.setNow(new Date(ctx.now().getTime() + 11 * 86_400_000));
    const stale = await build(ctx, a);
    expect(stale.removed).toBeGreaterThanOrEqual(1);
    expect(await listed(ctx, a)).not.toContain('zz-goes-stale.com');
    expect(failing(await explain('zz-goes-stale.com'))).toContain('onlineWithinDays');
  });

  it('leaves no partial version when the build fails inside its transaction', async () => {
    await report(ctx, a, 'http://zz-crash-test.com/');
    const before = await snapshotCount();
    const latestBefore = await ctx.call('GET', '/v1/list/manifest', { token: a.isp }).then((r) => r.text());
    await expect(
      buildSnapshot(ctx.deps, {
        caller: systemCaller,
        input: {
          trigger: 'test',
          beforeCommit: async () => {
            throw new Error('injected failure after the new version was written');
          },
        },
      }),
    ).rejects.toThrow('injected failure');
    expect(await snapshotCount()).toBe(before);
    expect(await ctx.call('GET', '/v1/list/manifest', { token: a.isp }).then((r) => r.text())).toBe(latestBefore);
    expect(await listed(ctx, a)).not.toContain('zz-crash-test.com');
    const runs = await ok<{ items: { outcome: string; error: string | null }[] }>(
      ctx.call('GET', '/v1/builds', { token: a.analyst }),
    );
    expect(runs.items[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('injected failure') });
    const open = await ctx.deps.db.execute(sql`select 1 from listings where list_key = 'zz-crash-test.com'`);
    expect(JSON.stringify(open)).not.toContain('1');
  });

  it('makes one new version from two concurrent builds', async () => {
    await report(ctx, a, 'http://zz-concurrent.com/');
    const before = await snapshotCount();
    const [one, two] = await Promise.all([
      buildSnapshot(ctx.deps, { caller: systemCaller, input: { trigger: 'test' } }),
      buildSnapshot(ctx.deps, { caller: systemCaller, input: { trigger: 'test' } }),
    ]);
    expect(await snapshotCount()).toBe(before + 1);
    expect([one.changed, two.changed].sort()).toEqual([false, true]);
    expect(one.version).toBe(two.version);
  });

  it('keeps criteria as versioned data', async () => {
    const current = await ok<{ active: { version: number; definition: Record<string, unknown> } }>(
      ctx.call('GET', '/v1/criteria', { token: a.analyst }),
    );
    expect(current.active.definition).toEqual({
      minConfirmingCountries: 2,
      minConfirmingOrganisations: 2,
      requireRealChild: true,
      maxApparentAge: 'prepubescent',
      minSeverity: 4,
      onlineWithinDays: 90,
    });
    expect((await ctx.call('PUT', '/v1/criteria', { token: a.analyst, body: current.active.definition })).status).toBe(
      403,
    );
    expect(
      (
        await ctx.call('PUT', '/v1/criteria', {
          token: a.admin,
          body: { ...current.active.definition, minSeverity: 11 },
        })
      ).status,
    ).toBe(422);
    const next = await ok<{ version: number }>(
      ctx.call('PUT', '/v1/criteria', {
        token: a.admin,
        body: { ...current.active.definition, minConfirmingCountries: 1 },
      }),
    );
    expect(next.version).toBe(current.active.version + 1);
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-one-country.com');
    const all = await ok<{ versions: { version: number; active: boolean }[] }>(
      ctx.call('GET', '/v1/criteria', { token: a.analyst }),
    );
    expect(all.versions.map((v) => [v.version, v.active])).toEqual([
      [next.version, true],
      [current.active.version, false],
    ]);
    await ok(ctx.call('PUT', '/v1/criteria', { token: a.admin, body: current.active.definition }));
  });

  it('keeps one active criteria set when admins replace it at once', async () => {
    const { active } = await ok<{ active: { version: number; definition: Record<string, unknown> } }>(
      ctx.call('GET', '/v1/criteria', { token: a.analyst }),
    );
    const answers = await Promise.all(
      [4, 5, 6, 7, 8].map((minSeverity) =>
        ctx.call('PUT', '/v1/criteria', { token: a.admin, body: { ...active.definition, minSeverity } }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const versions = await Promise.all(answers.map(async (r) => ((await r.json()) as { version: number }).version));
    expect([...versions].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5].map((n) => active.version + n));
    const all = await ok<{ versions: { version: number; active: boolean }[] }>(
      ctx.call('GET', '/v1/criteria', { token: a.analyst }),
    );
    expect(all.versions.filter((v) => v.active).map((v) => v.version)).toEqual([Math.max(...versions)]);
    await ok(ctx.call('PUT', '/v1/criteria', { token: a.admin, body: active.definition }));
  });

  it('answers a delisting request the same whether or not the domain is listed', async () => {
    const keys = await listed(ctx, a);
    expect(keys).toContain('zz-qualifies.com');
    const ask = (domain: string) =>
      ctx.call('POST', '/v1/delisting-requests', {
        body: {
          domain,
          contact: 'owner@zz-site.example',
          statement: 'This is my small business site; please review it.',
        },
      });
    const listedAnswer = await ask('zz-qualifies.com');
    const unlistedAnswer = await ask('zz-never-reported.com');
    expect(listedAnswer.status).toBe(unlistedAnswer.status);
    const strip = (r: Response) => [...r.headers].filter(([k]) => k !== 'x-request-id' && k !== 'date');
    expect(strip(listedAnswer)).toEqual(strip(unlistedAnswer));
    const [x, y] = [await listedAnswer.text(), await unlistedAnswer.text()];
    const withoutIds = (t: string) => t.replace(/"id":"[0-9a-f-]{36}"/, '"id":""');
    expect(withoutIds(x)).toBe(withoutIds(y));

    const queue = await ok<{ items: { id: string; listKey: string }[] }>(
      ctx.call('GET', '/v1/delisting-requests?state=open', { token: a.analyst }),
    );
    const request = queue.items.find((r) => r.listKey === 'zz-qualifies.com')!;
    await ok(
      ctx.call('POST', `/v1/delisting-requests/${request.id}/decision`, {
        token: a.analyst,
        body: { decision: 'accept', reason: 'owner proved the material is gone' },
      }),
    );
    expect(
      (
        await ctx.call('POST', `/v1/delisting-requests/${request.id}/decision`, {
          token: a.analyst,
          body: { decision: 'reject', reason: 'too late' },
        })
      ).status,
    ).toBe(409);
    await build(ctx, a);
    expect(await listed(ctx, a)).not.toContain('zz-qualifies.com');
  });

  it('pages domains by state and prefix', async () => {
    const page = await ok<{ items: { listKey: string; state: string }[]; nextCursor: string | null }>(
      ctx.call('GET', '/v1/domains?state=candidate&limit=2', { token: a.analyst }),
    );
    expect(page.items).toHaveLength(2);
    expect(page.items.every((i) => i.state === 'candidate')).toBe(true);
    const next = await ok<{ items: { listKey: string }[] }>(
      ctx.call('GET', `/v1/domains?state=candidate&limit=2&cursor=${page.nextCursor}`, { token: a.analyst }),
    );
    expect(next.items[0]!.listKey > page.items[1]!.listKey).toBe(true);
    const search = await ok<{ items: { listKey: string }[] }>(
      ctx.call('GET', '/v1/domains?q=zz-fails&limit=50', { token: a.analyst }),
    );
    expect(search.items.map((i) => i.listKey).every((k) => k.startsWith('zz-fails'))).toBe(true);
    expect(search.items).toHaveLength(4);
    const excluded = await ok<{ items: { listKey: string }[] }>(
      ctx.call('GET', '/v1/domains?state=excluded', { token: a.analyst }),
    );
    expect(excluded.items.map((i) => i.listKey)).toEqual(['zz-qualifies.com']);
    expect((await ctx.call('GET', '/v1/domains/zz-nothing-known.com', { token: a.analyst })).status).toBe(404);
  });
});
