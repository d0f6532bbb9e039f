/**
 * Incremental builds equal full recomputations (issue 16): random histories of the writes
 * that change evidence (reports with and without assessments, re-assessments by other
 * organisations of several countries, offline and online observations, exclusions and
 * restores, hostname policies, criteria changes) and of the clock moving past the window,
 * with builds among them. After every step the check (services/build-check.ts) rehearses an
 * incremental build and a full one from the same state and must find no difference in the
 * summaries, explanations, list, figures and queues. Seeded, so a failure names its seed and
 * step and replays. WOL_EQUIVALENCE_STEPS sets the steps per history.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCriteria } from '../src/core/criteria.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { checkBuild } from '../src/services/build-check.ts';
import { systemCaller } from '../src/services/caller.ts';
import { type Actors, ADMIN_TOKEN, confirming, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed, report } from './support/evidence.ts';

const STEPS = Number(process.env.WOL_EQUIVALENCE_STEPS ?? 1000);
const SEEDS = [0x5eed1, 0x5eed2];
const DAY = 86_400_000;

/** mulberry32: a small seeded generator, so a history replays from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}

const DOMAINS = Array.from({ length: 8 }, (_, i) => `zz-eq-${i}.com`);
const AGES = ['infant_toddler', 'prepubescent', 'pubescent', 'adult', 'unknown'] as const;

let ctx: TestContext;
let a: Actors;
let reporters: string[];
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  // A fourth reporter in a third country, so country counts vary beyond two.
  const { id } = await ok<{ id: number }>(
    ctx.call('POST', '/v1/organisations', {
      token: ADMIN_TOKEN,
      body: { name: 'ZZ Hotline D', kind: 'hotline', country: 'FR' },
    }),
  );
  const { token } = await ok<{ token: string }>(
    ctx.call('POST', '/v1/credentials', {
      token: ADMIN_TOKEN,
      body: { organisationId: id, role: 'reporter', label: 'reporter D' },
    }),
  );
  reporters = [a.reporterA, a.reporterB, a.reporterC, token];
});
afterAll(() => ctx.close());

describe(`incremental builds on ${databaseName}`, () => {
  it.each(SEEDS)(
    'equal a full recomputation after every step of a random history (seed %s)',
    async (seed) => {
      const r = random(seed);
      const reports: number[] = [];
      let refs = 0;
      const assessment = () =>
        confirming(ctx, r.int(130), {
          verdict: r.next() < 0.85 ? 'confirmed' : 'not_confirmed',
          realChild: r.next() < 0.85,
          apparentAge: r.pick(AGES),
          severity: 1 + r.int(10),
        });
      const url = () => {
        const domain = r.pick(DOMAINS);
        return `http://${r.next() < 0.5 ? `h${r.int(3)}.` : ''}${domain}/${r.int(1000)}`;
      };

      const steps: [number, () => Promise<unknown>][] = [
        [
          30,
          async () => {
            const body = {
              externalRef: `eq-${seed}-${++refs}`,
              url: url(),
              ...(r.next() < 0.8 ? { assessment: assessment() } : {}),
            };
            const { id } = await ok<{ id: number }>(
              ctx.call('POST', '/v1/reports', { token: r.pick(reporters), body }),
            );
            reports.push(id);
          },
        ],
        [
          20,
          async () => {
            if (reports.length === 0) return;
            await ok(
              ctx.call('POST', `/v1/reports/${r.pick(reports)}/assessments`, {
                token: r.pick(reporters),
                body: assessment(),
              }),
            );
          },
        ],
        [
          10,
          async () => {
            if (reports.length === 0) return;
            await ok(
              ctx.call('POST', `/v1/reports/${r.pick(reports)}/observations`, {
                token: r.pick(reporters),
                body: {
                  online: r.next() < 0.4,
                  observedAt: new Date(ctx.now().getTime() - r.int(5) * DAY).toISOString(),
                },
              }),
            );
          },
        ],
        [
          6,
          async () => {
            const domain = r.pick(DOMAINS);
            const path = `/v1/domains/${domain}/exclusion`;
            const body = { reason: 'equivalence test' };
            const excluded = await ctx.call('POST', path, { token: a.analyst, body });
            if (excluded.status === 409) await ok(ctx.call('DELETE', path, { token: a.analyst, body }));
            else expect(excluded.status).toBe(201);
          },
        ],
        [
          4,
          async () => {
            await ok(
              ctx.call('PUT', `/v1/domains/${r.pick(DOMAINS)}/policy`, {
                token: a.analyst,
                body: { granularity: r.pick(['hostname', 'registrable']), reason: 'equivalence test' },
              }),
            );
          },
        ],
        [
          2,
          async () => {
            const { active } = await ok<{ active: { definition: Record<string, unknown> } }>(
              ctx.call('GET', '/v1/criteria', { token: a.analyst }),
            );
            const definition = {
              ...active.definition,
              minSeverity: 3 + r.int(4),
              onlineWithinDays: r.pick([30, 60, 90]),
              minConfirmingCountries: 1 + r.int(2),
            };
            await ok(ctx.call('PUT', '/v1/criteria', { token: a.admin, body: definition }));
          },
        ],
        [
          12,
          async () => {
            ctx.setNow(new Date(ctx.now().getTime() + (r.next() < 0.5 ? r.int(24) * 3_600_000 : r.int(40) * DAY)));
          },
        ],
        [16, () => build(ctx, a)],
      ];
      const total = steps.reduce((n, [weight]) => n + weight, 0);
      const step = () => {
        let at = r.int(total);
        for (const [weight, run] of steps) {
          at -= weight;
          if (at < 0) return run();
        }
        throw new Error('unreachable');
      };

      for (let i = 0; i < STEPS; i++) {
        await step();
        const check = await checkBuild(ctx.deps);
        expect(check.examples, `seed ${seed}, step ${i}`).toEqual([]);
      }
      // And what ISPs pull is what a full build publishes.
      const incremental = await build(ctx, a);
      const pulled = await listed(ctx, a);
      const full = await buildSnapshot(ctx.deps, { caller: systemCaller, input: { trigger: 'test', full: true } });
      expect(full).toMatchObject({ changed: false, version: incremental.version });
      expect(await listed(ctx, a)).toEqual(pulled);
    },
    600_000,
  );
});

describe(`what an incremental build reads, on ${databaseName}`, () => {
  it('evaluates only the keys writes named or time aged out, and every key when asked or after a criteria change', async () => {
    // The random histories above leave criteria of their own: back to IWOL's.
    await ok(ctx.call('PUT', '/v1/criteria', { token: a.admin, body: defaultCriteria }));
    await build(ctx, a);
    expect(await build(ctx, a)).toMatchObject({ changed: false, evaluated: 0, full: false });

    await report(ctx, a, 'http://zz-inc-one.com/a', { daysAgo: 80 });
    await report(ctx, a, 'http://zz-inc-two.com/a', { daysAgo: 10 });
    expect(await build(ctx, a)).toMatchObject({ changed: true, added: 2, evaluated: 2, full: false });

    // 11 days on, zz-inc-one.com's confirmations (80 days old) leave the 90-day window: only it is read again.
    ctx.setNow(new Date(ctx.now().getTime() + 11 * DAY));
    const aged = await build(ctx, a);
    expect(aged).toMatchObject({ changed: true, full: false });
    expect(await listed(ctx, a)).not.toContain('zz-inc-one.com');
    expect(await listed(ctx, a)).toContain('zz-inc-two.com');

    const full = await buildSnapshot(ctx.deps, { caller: systemCaller, input: { trigger: 'test', full: true } });
    expect(full).toMatchObject({ changed: false, full: true });
    expect(full.evaluated).toBeGreaterThan(aged.evaluated);

    const { active } = await ok<{ active: { definition: Record<string, unknown> } }>(
      ctx.call('GET', '/v1/criteria', { token: a.analyst }),
    );
    await ok(ctx.call('PUT', '/v1/criteria', { token: a.admin, body: { ...active.definition, minSeverity: 5 } }));
    const whole = await build(ctx, a);
    expect(whole).toMatchObject({ full: true });
    expect(await build(ctx, a)).toMatchObject({ full: false, evaluated: 0 });
    // The runs say it too, for analysts watching the builds.
    const runs = await ok<{ items: { evaluated: number | null; full: boolean | null }[] }>(
      ctx.call('GET', '/v1/builds?limit=2', { token: a.analyst }),
    );
    expect(runs.items).toEqual([
      expect.objectContaining({ evaluated: 0, full: false }),
      expect.objectContaining({ evaluated: whole.evaluated, full: true }),
    ]);
  });

  it('names a summary that differs from a full recomputation, and a full build mends it', async () => {
    await report(ctx, a, 'http://zz-inc-tampered.com/a');
    await build(ctx, a);
    expect((await checkBuild(ctx.deps)).differences).toBe(0);
    // What a lost trigger would leave: a summary the writes no longer match.
    await ctx.deps.db.execute(
      sql`update key_evidence set reports = reports + 1, included = false where list_key = 'zz-inc-tampered.com'`,
    );
    const check = await checkBuild(ctx.deps);
    expect(check.examples.map((d) => [d.table, d.listKey])).toEqual([
      ['key_evidence', 'zz-inc-tampered.com'],
      ['explanations', 'zz-inc-tampered.com'],
    ]);
    expect(JSON.parse(check.examples[0]!.full!)).toMatchObject({ included: true });
    // The check published nothing and took nothing: the tampered row is still there.
    expect((await checkBuild(ctx.deps)).differences).toBe(2);
    await buildSnapshot(ctx.deps, { caller: systemCaller, input: { trigger: 'test', full: true } });
    expect((await checkBuild(ctx.deps)).differences).toBe(0);
  });

  it('runs as worstof build --full --check, exiting 1 on a difference', async () => {
    const env = ctx.databaseUrl
      ? { DATABASE_URL: ctx.databaseUrl, DATA_DIR: ctx.dataDir }
      : { DATA_DIR: await mkdtemp(path.join(tmpdir(), 'wol-check-')) };
    const worstof = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/worstof.js', 'build', ...args], {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      });
    expect(worstof('--full')).toMatchObject({ status: 0 });
    const clean = worstof('--full', '--check');
    expect(clean.stderr).toMatch(/matches a full recomputation over \d+ keys/);
    expect(clean.status).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ differences: 0 });
    if (!ctx.databaseUrl) return; // PGlite is one process's: the tampering below needs the shared database.
    await ctx.deps.db.execute(
      sql`update key_evidence set reports = reports + 1 where list_key = 'zz-inc-tampered.com'`,
    );
    const differs = worstof('--full', '--check');
    expect(differs.status).toBe(1);
    expect(JSON.parse(differs.stdout).examples[0]).toMatchObject({
      table: 'key_evidence',
      listKey: 'zz-inc-tampered.com',
    });
    expect(worstof('--full').status).toBe(0);
    expect(worstof('--full', '--check').status).toBe(0);
  });
});
