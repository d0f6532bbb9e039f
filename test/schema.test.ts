import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutcomes } from '../src/core/vocabulary.ts';
import { queryRows } from '../src/db/database.ts';
import { criteriaSets, organisations, reports, snapshots } from '../src/db/schema.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** The SQLSTATE of a failed statement (drizzle wraps the driver's error). */
async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code;
  }
  return undefined;
}

describe(`the data model on ${databaseName}`, () => {
  it('has every table of the design', async () => {
    const rows = await queryRows<{ table_name: string }>(
      ctx.deps.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'organisations',
        'credentials',
        'reports',
        'assessments',
        'domain_policies',
        'exclusions',
        'delisting_requests',
        'criteria_sets',
        'snapshots',
        'listings',
        'observations',
        'artifacts',
        'timestamps',
        'signing_keys',
        'pulls',
        'audit_log',
        'tsig_keys',
      ]),
    );
  });

  it('keeps external references unique per organisation', async () => {
    const [org] = await ctx.deps.db
      .insert(organisations)
      .values({ name: 'ZZ hotline', kind: 'hotline', country: 'SE' })
      .returning();
    const report = {
      organisationId: org!.id,
      externalRef: 'r-1',
      url: 'http://zz.example/',
      urlCanonical: 'http://zz.example/',
      host: 'zz.example',
      domain: 'zz.example',
      listKey: 'zz.example',
    };
    await ctx.deps.db.insert(reports).values(report);
    expect(await sqlState(ctx.deps.db.insert(reports).values(report))).toBe('23505');
  });

  it('rejects a country that is not ISO alpha-2 and an unknown kind', async () => {
    expect(
      await sqlState(ctx.deps.db.insert(organisations).values({ name: 'x', kind: 'hotline', country: 'Sweden' })),
    ).toBe('23514');
    expect(
      await sqlState(ctx.deps.db.insert(organisations).values({ name: 'y', kind: 'club' as never, country: 'SE' })),
    ).toBe('23514');
  });

  it('keeps snapshot versions gap-free', async () => {
    const [criteria] = await ctx.deps.db.insert(criteriaSets).values({ definition: {}, active: true }).returning();
    const snapshot = (version: number, previousVersion: number | null) => ({
      version,
      previousVersion,
      criteriaVersion: criteria!.version,
      entryCount: 0,
      listSha256: 'x',
      manifest: 'x',
      manifestSha256: 'x',
      addedCount: 0,
      removedCount: 0,
      signingKid: 'k',
      expiresAt: new Date(),
    });
    expect(await sqlState(ctx.deps.db.insert(snapshots).values(snapshot(2, null)))).toBe('23514');
    await ctx.deps.db.insert(snapshots).values(snapshot(1, null));
    expect(await sqlState(ctx.deps.db.insert(snapshots).values(snapshot(3, 2)))).toBe('23503');
    expect(await sqlState(ctx.deps.db.insert(snapshots).values(snapshot(3, 1)))).toBe('23514');
    await ctx.deps.db.insert(snapshots).values(snapshot(2, 1));
    expect(await sqlState(ctx.deps.db.insert(snapshots).values(snapshot(2, 1)))).toBe('23505');
  });

  it('records a build run only as changed, unchanged or failed (a skipped run is not one)', async () => {
    const run = (outcome: string) =>
      ctx.deps.db.execute(
        sql`insert into build_runs (trigger, started_at, duration_ms, outcome) values ('cli', now(), 1, ${outcome})`,
      );
    expect(await sqlState(run('skipped'))).toBe('23514');
    for (const outcome of buildOutcomes) expect(await sqlState(run(outcome))).toBeUndefined();
  });
});
