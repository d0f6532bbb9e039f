/**
 * The build thread (Node serve on PostgreSQL): a build run there publishes what a build here
 * would (the keys, signed by the key in DATA_DIR), its failures arrive as the same errors (a
 * missing signing key is still a 503, a database that cannot be reached still "unavailable"),
 * and serve on PostgreSQL builds through it. PGlite has no build thread: its statements run on
 * the serving thread whatever runs the build, so only the rendering leaves it (render-thread).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildThread, buildThread } from '../src/build-thread.ts';
import { verifyManifest } from '../src/core/verify.ts';
import { databaseFailure } from '../src/db/errors.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
import { UnavailableError } from '../src/services/errors.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { onPostgres } from './support/database.ts';
import { listed, report } from './support/evidence.ts';
import { startServe } from './support/serve.ts';

describe.skipIf(!onPostgres)('the build thread on postgresql', () => {
  let ctx: TestContext;
  let a: Actors;
  let thread: BuildThread;

  beforeAll(async () => {
    ctx = await createTestContext();
    a = await createActors(ctx);
    thread = buildThread({ DATABASE_URL: ctx.databaseUrl!, DATA_DIR: ctx.dataDir, LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    await thread.close();
    await ctx.close();
  });

  it('publishes the listed keys in a manifest signed with the key in DATA_DIR', async () => {
    await report(ctx, a, 'http://zz-thread-one.example/a');
    await report(ctx, a, 'http://zz-thread-two.example/b');
    const result = await buildSnapshot(
      { ...ctx.deps, buildThread: thread.call },
      { caller: systemCaller, input: { trigger: 'test' } },
    );
    expect(result).toMatchObject({ version: 1, changed: true, added: 2, removed: 0, entryCount: 2 });
    expect(await listed(ctx, a)).toEqual(['zz-thread-one.example', 'zz-thread-two.example']);

    const jwks = await ok<{ keys: never[] }>(ctx.call('GET', '/.well-known/jwks.json'));
    const manifest = await (await ctx.call('GET', '/v1/list/manifest', { token: a.isp })).text();
    expect(await verifyManifest(manifest, jwks, ctx.now())).toMatchObject({ version: 1, entries: { count: 2 } });

    const again = await buildSnapshot(
      { ...ctx.deps, buildThread: thread.call },
      { caller: systemCaller, input: { trigger: 'test' } },
    );
    expect(again).toMatchObject({ version: 1, changed: false });
  });

  it('answers a missing signing key as the 503 it is here, and records the failed build', async () => {
    const elsewhere = buildThread({
      DATABASE_URL: ctx.databaseUrl!,
      DATA_DIR: path.join(ctx.dataDir, 'no-keys-here'),
      LOG_LEVEL: 'silent',
    });
    try {
      await report(ctx, a, 'http://zz-thread-three.example/c');
      const failed = buildSnapshot(
        { ...ctx.deps, buildThread: elsewhere.call },
        { caller: systemCaller, input: { trigger: 'test' } },
      );
      await expect(failed).rejects.toBeInstanceOf(UnavailableError);
      const runs = await ok<{ items: { outcome: string; error: string | null }[] }>(
        ctx.call('GET', '/v1/builds?limit=1', { token: a.analyst }),
      );
      expect(runs.items[0]).toMatchObject({ outcome: 'failed' });
      expect(runs.items[0]!.error).toMatch(/signing key/i);
    } finally {
      await elsewhere.close();
    }
  });

  it('keeps the driver code of a database it cannot reach, so the failure stays "unavailable"', async () => {
    const unreachable = buildThread({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      DATA_DIR: ctx.dataDir,
      LOG_LEVEL: 'silent',
    });
    try {
      const error = await unreachable
        .call({ trigger: 'test', actor: null, startedAt: new Date(), full: false })
        .catch((e) => e);
      expect(databaseFailure(error)).toBe('unavailable');
    } finally {
      await unreachable.close();
    }
  });

  it('is what serve on postgresql builds with, and serve still publishes', async () => {
    await rm(path.join(ctx.dataDir, 'worstof.lock'), { force: true });
    const served = await startServe({ DATABASE_URL: ctx.databaseUrl!, DATA_DIR: ctx.dataDir, LOG_LEVEL: 'info' });
    try {
      await report(ctx, a, 'http://zz-thread-four.example/d');
      const res = await fetch(`${served.url}/v1/builds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.analyst}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ changed: true });
      const pulled = await fetch(`${served.url}/v1/list/latest.txt`, { headers: { authorization: `Bearer ${a.isp}` } });
      expect((await pulled.text()).split('\n')).toContain('zz-thread-four.example');
      expect(served.lines().find((l) => l.msg === 'worstof is serving')).toMatchObject({ builds: 'build thread' });
      expect(served.lines().some((l) => l.msg === 'build finished')).toBe(true);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });
});
