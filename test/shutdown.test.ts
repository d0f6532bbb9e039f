/**
 * Graceful shutdown of the real server process: SIGTERM while a long build (a large seeded
 * data set) runs stops new connections, lets the build and its request finish and exits 0;
 * past WOL_SHUTDOWN_TIMEOUT it exits 1 and the cut-short build leaves no trace. Either way
 * the versions stay gap-free, every version has all its artifacts, and the next start is clean.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganisations, seedQualifying } from '../bench/seed.ts';
import { formats } from '../src/core/formats.ts';
import { openDatabase } from '../src/db/client.ts';
import { type Database, queryRows } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { ADMIN_TOKEN } from './support/actors.ts';
import { createTestDatabase, databaseName, onPostgres } from './support/database.ts';
import { startServe } from './support/serve.ts';

// Enough for a build of several seconds: PGlite builds about 2k keys a second here, PostgreSQL about 8k.
const KEYS = onPostgres ? 40_000 : 10_000;
/**
 * Keys added before the timeout case. PGlite handles the signal (and the timer) only where the
 * build yields to the event loop, the first time after the evidence aggregate: what is left
 * then (listings, artifacts) must outlast the 1 s timeout, so PGlite gets as many again.
 */
const LATER = onPostgres ? KEYS / 4 : KEYS;

let dataDir: string;
let databaseUrl: string | null = null;
let dropDatabase: (() => Promise<void>) | null = null;

const open = (): Promise<Database> => openDatabase({ databaseUrl: databaseUrl ?? undefined, dataDir });
async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await open();
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

const env = (extra: Record<string, string> = {}) => ({
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl ?? '',
  WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
  ...extra,
});

const buildNow = (url: string) =>
  fetch(`${url}/v1/builds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: '{}',
  });

/** Resolves once the build holds its advisory lock (PostgreSQL), or after a fixed wait (PGlite shows nothing outside). */
/** PostgreSQL: the build holds its advisory lock. PGlite (no other connection can look): it said so. */
async function buildRunning(server: { waitFor(msg: string): Promise<unknown> }): Promise<void> {
  if (!databaseUrl) {
    await server.waitFor('build started');
    return;
  }
  await withDatabase(async ({ db }) => {
    for (let i = 0; i < 200; i++) {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from pg_locks where locktype = 'advisory'`,
      );
      if (Number(row?.n) > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the build never took its lock');
  });
}

const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

/** The invariant a crash or a stop must keep: versions 1..n without a gap, each with every artifact, listings in step. */
async function versionsWhole(): Promise<number[]> {
  return withDatabase(async ({ db }) => {
    const rows = await queryRows<{ version: number; artifacts: number }>(
      db,
      sql`select s.version, (select count(*)::int from artifacts a where a.version = s.version) as artifacts
          from snapshots s order by s.version`,
    );
    const versions = rows.map((r) => Number(r.version));
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    for (const row of rows) expect(Number(row.artifacts), `artifacts of version ${row.version}`).toBe(formats.length);
    const [orphans] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from listings where added_version > coalesce((select max(version) from snapshots), 0)`,
    );
    expect(Number(orphans?.n)).toBe(0);
    return versions;
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'wol-shutdown-'));
  if (onPostgres) {
    const database = await createTestDatabase();
    databaseUrl = database.url;
    await database.db.execute(sql`select 1`);
    dropDatabase = database.close;
  }
  await withDatabase(async (database) => {
    await migrate(database);
    await seedOrganisations(database.db);
    await seedQualifying(database.db, KEYS, new Date());
  });
}, 180_000);

afterAll(async () => {
  await dropDatabase?.();
  await rm(dataDir, { recursive: true, force: true });
});

describe(`graceful shutdown on ${databaseName}`, () => {
  it('on SIGTERM during a build: refuses new connections, finishes the build and its request, exits 0', async () => {
    const server = await startServe(env());
    try {
      let answeredAt = 0;
      const request = buildNow(server.url).then((r) => {
        answeredAt = Date.now();
        return r;
      });
      await buildRunning(server);
      server.child.kill('SIGTERM');
      const killedAt = Date.now();
      // PGlite works in the serving thread: the signal is handled between two of its statements.
      await server.waitFor('stopping');
      expect(await refused(server.url)).toBe(true);
      const response = await request;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ version: 1, changed: true, entryCount: KEYS });
      expect(await server.exited).toBe(0);
      expect(answeredAt).toBeGreaterThan(killedAt);
    } finally {
      await server.stop('SIGKILL');
    }

    const order = server.lines().map((l) => l.msg);
    // PostgreSQL: the signal is handled at once, mid-build. PGlite runs the build's statements in the
    // serving thread, so the handler may run only when the build next yields (at signing, near its end).
    if (onPostgres) expect(order.indexOf('stopping')).toBeLessThan(order.indexOf('build finished'));
    expect(order.indexOf('stopping')).toBeGreaterThan(-1);
    expect(order.at(-1)).toBe('stopped');
    expect(await versionsWhole()).toEqual([1]);
  }, 180_000);

  it('past WOL_SHUTDOWN_TIMEOUT exits 1 at once, and the cut-short build leaves no partial version', async () => {
    await withDatabase((database) => seedQualifying(database.db, LATER, new Date(), 'zz-later-'));
    const server = await startServe(env({ WOL_SHUTDOWN_TIMEOUT: '1' }));
    let code: number;
    try {
      const request = buildNow(server.url).catch((error: Error) => error);
      await buildRunning(server);
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      code = await server.exited;
      // PostgreSQL: at the timeout. PGlite runs the build's statements in the serving thread, so the
      // timer fires only between them: when the build's last statement ends first, it is whole and
      // the process stops cleanly. Either way nothing is half-written.
      if (onPostgres) expect(code).toBe(1);
      else expect([0, 1]).toContain(code);
      expect(Date.now() - signalled).toBeLessThan(onPostgres ? 3000 : 12_000);
      if (code === 1) expect(await request).toBeInstanceOf(Error);
    } finally {
      await server.stop('SIGKILL');
    }
    if (code === 1) {
      expect(server.lines().some((l) => l.msg === 'could not stop within WOL_SHUTDOWN_TIMEOUT: exiting')).toBe(true);
      expect(await versionsWhole()).toEqual([1]);
    } else expect(await versionsWhole()).toEqual([1, 2]);
  }, 180_000);

  it('starts cleanly after both, and the next build chains on the last whole version', async () => {
    const cutShort = (await versionsWhole()).length === 1;
    const server = await startServe(env());
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const response = await buildNow(server.url);
      expect(await response.json()).toMatchObject(
        cutShort ? { version: 2, changed: true, added: LATER } : { version: 2, changed: false },
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(await versionsWhole()).toEqual([1, 2]);
    const [row] = await withDatabase(({ db }) =>
      queryRows<{ ok: boolean }>(
        db,
        sql`select s2.previous_manifest_sha256 = s1.manifest_sha256 as ok
            from snapshots s1 join snapshots s2 on s2.version = 2 where s1.version = 1`,
      ),
    );
    expect(row?.ok).toBe(true);
  }, 180_000);
});
