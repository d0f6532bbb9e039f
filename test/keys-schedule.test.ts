import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../src/core/signing.ts';
import { recentBuildRuns } from '../src/db/repositories/builds.ts';
import { allKeyRows } from '../src/db/repositories/keys.ts';
import { startSchedule } from '../src/schedule/cron.ts';
import { configuredKeyVault } from '../src/services/key-vault.ts';
import { ensureSigningKey, publishedJwks } from '../src/services/keys.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe(`signing keys on ${databaseName}`, () => {
  it('generates a key on first start and keeps its private half in DATA_DIR/keys with mode 0600', async () => {
    const [row] = await allKeyRows(ctx.deps.db);
    expect(row).toMatchObject({ state: 'active', alg: 'EdDSA', privateRef: `file:${row!.kid}.jwk` });
    const file = path.join(ctx.dataDir, 'keys', `${row!.kid}.jwk`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // A second start finds it and keeps it.
    expect(await ensureSigningKey(ctx.deps, null)).toBe(row!.kid);
    expect(await allKeyRows(ctx.deps.db)).toHaveLength(1);
  });

  it('lets WOL_SIGNING_KEY override: the configured key becomes active, the generated one retires', async () => {
    const configured = await generateSigningKey();
    const deps = { ...ctx.deps, vault: configuredKeyVault(configured) };
    expect(await ensureSigningKey(deps, configured)).toBe(configured.kid);
    const rows = await allKeyRows(ctx.deps.db);
    expect(rows.find((r) => r.kid === configured.kid)).toMatchObject({
      state: 'active',
      privateRef: 'env:WOL_SIGNING_KEY',
    });
    expect(rows.filter((r) => r.state === 'retiring')).toHaveLength(1);
    // Nothing was signed by the old key, so it leaves the published set once it is no longer in force.
    ctx.setNow(new Date(ctx.now().getTime() + 1000));
    expect((await publishedJwks(ctx.deps)).keys.map((k) => k.kid)).toEqual([configured.kid]);
  });
});

describe(`the schedule on ${databaseName}`, () => {
  it('runs the build on its cron expression, one at a time, and records each run', async () => {
    // The previous test left an env-only key active; this process can only sign with a generated one.
    await ensureSigningKey(ctx.deps, null);
    const schedule = startSchedule(ctx.deps, '* * * * * *');
    expect(schedule.nextRun()).toBeInstanceOf(Date);
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      (await recentBuildRuns(ctx.deps.db, 5)).filter((r) => r.trigger === 'schedule').length < 2
    )
      await new Promise((r) => setTimeout(r, 200));
    await schedule.stop();
    const runs = (await recentBuildRuns(ctx.deps.db, 20)).filter((r) => r.trigger === 'schedule');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((r) => r.outcome === 'changed' || r.outcome === 'unchanged')).toBe(true);
  }, 20_000);
});
