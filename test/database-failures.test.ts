/**
 * A database that is read-only, too slow or gone: pulls (reads) keep working, since the
 * credential's last use is written later; writes answer 503 with a code and Retry-After, not
 * 500; a failed build records why it failed, not its SQL; `serve` on a read-only database says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/client.ts';
import { credentials } from '../src/db/schema.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName, onPostgres } from './support/database.ts';
import { build, report } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  await report(ctx, a, 'http://zz-dbfail.com/a');
  await build(ctx, a);
});
afterAll(() => ctx.close());
afterEach(() => setting('default_transaction_read_only', null).then(() => setting('statement_timeout', null)));

/**
 * Sets (or, with null, resets) a setting for every connection of the app. PGlite has one
 * connection: a session setting is that. On PostgreSQL the database's default applies to new
 * connections only, so the pool's are ended as a failover would end them.
 */
async function setting(name: string, value: string | null): Promise<void> {
  if (!ctx.databaseUrl) {
    await ctx.deps.db.execute(sql.raw(value === null ? `reset ${name}` : `set ${name} = '${value}'`));
    return;
  }
  const database = new URL(ctx.databaseUrl).pathname.slice(1);
  const admin = postgres(ctx.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // Its own session must not be read-only: the setting applies to new connections, this one too.
    await admin.unsafe('set default_transaction_read_only = off');
    await admin.unsafe(
      value === null
        ? `alter database ${database} reset ${name}`
        : `alter database ${database} set ${name} = '${value}'`,
    );
    await endConnections(admin, database);
  } finally {
    await admin.end();
  }
}

async function endConnections(admin: postgres.Sql, database: string): Promise<void> {
  await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
  for (let i = 0; i < 50; i++) {
    const [row] =
      await admin`select count(*)::int as n from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
    if (row?.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // postgres.js learns of the closed sockets on its next turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

async function problemOf(res: Response) {
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ...(await res.json()) };
}

describe(`a read-only database on ${databaseName}`, () => {
  it('still serves an ISP pull, and records the credential’s use once it can', async () => {
    const [before] = await ctx.deps.db.select().from(credentials).where(eq(credentials.role, 'isp'));
    expect(before?.lastUsedAt).toBeNull();
    await setting('default_transaction_read_only', 'on');

    const res = await ctx.call('GET', '/v1/list/latest.txt', { token: a.isp });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.text()).toContain('zz-dbfail.com');
    await expect(ctx.deps.pullCache.flush()).rejects.toThrow();

    await setting('default_transaction_read_only', null);
    await ctx.deps.pullCache.flush();
    const [after] = await ctx.deps.db.select().from(credentials).where(eq(credentials.id, before!.id));
    expect(after?.lastUsedAt).toEqual(ctx.now());
  });

  it('answers a write 503 database_read_only with Retry-After', async () => {
    await setting('default_transaction_read_only', 'on');
    const res = await ctx.call('POST', '/v1/reports', {
      token: a.reporterA,
      body: { externalRef: 'ro-1', url: 'http://zz-dbfail-ro.com/x' },
    });
    expect(await problemOf(res)).toMatchObject({ status: 503, code: 'database_read_only', retryAfter: '30' });
  });

  it('logs the cause of a 503 at warn, for the operator', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const app = createApp({ ...ctx.deps, log: createLogger('warn', sink) });
    await setting('default_transaction_read_only', 'on');
    const res = await app.request('/v1/reports', {
      method: 'POST',
      headers: { authorization: `Bearer ${a.reporterA}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalRef: 'ro-2', url: 'http://zz-dbfail-ro.com/y' }),
    });
    expect(res.status).toBe(503);
    const line = lines.find((l) => l.msg === 'database_read_only');
    expect(JSON.stringify(line?.err)).toMatch(/read-only transaction/);
  });

  // Only PostgreSQL holds a replica; the child process opens its own connections.
  it.skipIf(!onPostgres)(
    'stops `serve` at start saying the database is read-only',
    async () => {
      await setting('default_transaction_read_only', 'on');
      const dataDir = await mkdtemp(path.join(tmpdir(), 'wol-ro-'));
      try {
        const run = spawnSync(process.execPath, ['bin/worstof.js', 'serve'], {
          encoding: 'utf8',
          env: {
            ...process.env,
            DATABASE_URL: ctx.databaseUrl!,
            DATA_DIR: dataDir,
            HOST: '127.0.0.1',
            PORT: '0',
            WOL_BUILD_CRON: 'off',
          },
          timeout: 60_000,
        });
        expect(run.status).toBe(1);
        expect(run.stderr).toContain('worstof serve: the database is read-only (cannot execute');
        expect(run.stderr).toContain('point DATABASE_URL at the primary');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

describe(`a failing database on ${databaseName}`, () => {
  it('records why a build failed, not its SQL', async () => {
    const failing = buildSnapshot(ctx.deps, {
      caller: systemCaller,
      input: {
        trigger: 'test',
        beforeCommit: async (tx) => {
          await tx.execute(sql`select * from zz_no_such_table`);
        },
      },
    });
    await expect(failing).rejects.toThrow();
    const runs = await ok<{ items: { outcome: string; error: string | null }[] }>(
      ctx.call('GET', '/v1/builds', { token: a.analyst }),
    );
    expect(runs.items[0]).toMatchObject({ outcome: 'failed', error: 'relation "zz_no_such_table" does not exist' });
  });

  // PGlite has one connection: nothing else can hold the lock.
  it.skipIf(!onPostgres)(
    'answers 503 database_timeout when a statement times out, and the build records it',
    async () => {
      await setting('statement_timeout', '300ms');
      const holder = postgres(ctx.databaseUrl!, { max: 1, onnotice: () => {} });
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // Another connection keeps every writer of reports and of the signed timestamp waiting.
      const transaction = holder.begin(async (tx) => {
        await tx`lock table reports, timestamps in exclusive mode`;
        locked();
        await released;
      });
      try {
        await holding;
        const write = await ctx.call('POST', '/v1/reports', {
          token: a.reporterA,
          body: { externalRef: 'slow-1', url: 'http://zz-dbfail-slow.com/x' },
        });
        expect(await problemOf(write)).toMatchObject({ status: 503, code: 'database_timeout', retryAfter: '5' });

        const built = await ctx.call('POST', '/v1/builds', { token: a.analyst, body: {} });
        expect(await problemOf(built)).toMatchObject({ status: 503, code: 'database_timeout' });
      } finally {
        release();
        await transaction;
        await holder.end();
      }
      const runs = await ok<{ items: { outcome: string; error: string | null }[] }>(
        ctx.call('GET', '/v1/builds', { token: a.analyst }),
      );
      expect(runs.items[0]).toMatchObject({ outcome: 'failed', error: 'canceling statement due to statement timeout' });
    },
  );

  it('answers 503 database_unavailable when the database cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const gone = openPostgres('postgres://worstof@127.0.0.1:1/gone', 1);
    try {
      const app = createApp({ ...ctx.deps, db: gone.db });
      const res = await app.request('/v1/reports', { headers: { authorization: `Bearer ${a.reporterA}` } });
      expect(await problemOf(res)).toMatchObject({ status: 503, code: 'database_unavailable', retryAfter: '5' });
    } finally {
      await gone.close();
    }
  });
});
