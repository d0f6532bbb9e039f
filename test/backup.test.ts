/**
 * Backup and restore through the real commands and a real server process: back up, add a
 * version, restore the backup into a fresh data directory (and, on PostgreSQL, a fresh
 * database); the restored service serves the same signed manifests and its next build
 * chains onto the restored latest. Refusals: a running PGlite, a non-empty target.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compactVerify, createLocalJWKSet } from 'jose';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_TOKEN } from './support/actors.ts';
import { createTestDatabase, databaseName, onPostgres } from './support/database.ts';
import { withDatabase } from './support/global-setup.ts';
import { type Served, startServe } from './support/serve.ts';
import { worstof } from './support/server.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let work: string;
const dirA = () => path.join(work, 'a');
const dirB = () => path.join(work, 'b');
const file = () => path.join(work, 'worstof.backup');
let urlA = '';
let urlB = '';
const cleanups: (() => Promise<void>)[] = [];

const envA = () => ({ DATA_DIR: dirA(), DATABASE_URL: urlA, WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN });
const envB = () => ({ DATA_DIR: dirB(), DATABASE_URL: urlB, WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN });

async function call<T = Record<string, unknown>>(
  server: Served,
  method: string,
  url: string,
  token: string,
  body?: unknown,
) {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
}

let tokens: { a: string; b: string; isp: string };
let refs = 0;
async function listDomain(
  server: Served,
  domain: string,
): Promise<{ version: number; changed: boolean; full: boolean }> {
  for (const token of [tokens.a, tokens.b])
    await call(server, 'POST', '/v1/reports', token, {
      externalRef: `bk-${++refs}`,
      url: `http://${domain}/x`,
      assessment: {
        verdict: 'confirmed',
        realChild: true,
        apparentAge: 'prepubescent',
        severity: 7,
        observedOnlineAt: new Date(Date.now() - 86_400_000).toISOString(),
      },
    });
  return call(server, 'POST', '/v1/builds', ADMIN_TOKEN, {});
}

/** What the service at A serves before the backup. */
let before: { jwks: unknown; manifests: string[] };

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'wol-backup-'));
  if (onPostgres) {
    const a = await createTestDatabase();
    urlA = a.url!;
    cleanups.push(a.close);
    // B is a new, empty database (not a clone of the migrated template): what a restore goes into.
    const admin = postgres(inject('databaseUrl')!, { max: 1, onnotice: () => {} });
    const name = `wol_restore_${Math.random().toString(16).slice(2, 10)}`;
    await admin.unsafe(`create database ${name}`);
    urlB = withDatabase(inject('databaseUrl')!, name);
    cleanups.push(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
  }
  const server = await startServe(envA());
  try {
    const org = async (name: string, kind: string, country: string) =>
      (await call<{ id: number }>(server, 'POST', '/v1/organisations', ADMIN_TOKEN, { name, kind, country })).id;
    const key = async (organisationId: number, role: string) =>
      (
        await call<{ token: string }>(server, 'POST', '/v1/credentials', ADMIN_TOKEN, {
          organisationId,
          role,
          label: role,
        })
      ).token;
    tokens = {
      a: await key(await org('ZZ Hotline A', 'hotline', 'SE'), 'reporter'),
      b: await key(await org('ZZ Agency B', 'agency', 'IT'), 'reporter'),
      isp: await key(await org('ZZ ISP', 'isp', 'SE'), 'isp'),
    };
    expect(await listDomain(server, 'zz-backup-one.example')).toMatchObject({ version: 1, changed: true });
    // The second build aggregates only the domain that changed.
    expect(await listDomain(server, 'zz-backup-two.example')).toMatchObject({ version: 2, changed: true, full: false });
    before = {
      jwks: await call(server, 'GET', '/.well-known/jwks.json', tokens.isp),
      manifests: [
        await call<string>(server, 'GET', '/v1/list/1/manifest', tokens.isp),
        await call<string>(server, 'GET', '/v1/list/2/manifest', tokens.isp),
      ],
    };
  } finally {
    expect(await server.stop()).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await rm(work, { recursive: true, force: true });
});

describe(`backup and restore on ${databaseName}`, () => {
  it('backs up the whole state into one file readable by its owner only', async () => {
    const result = await worstof(['backup', file()], { env: envA() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The version the dump holds, read in the dump's own snapshot on PostgreSQL.
    expect(result.stdout).toContain(
      `backed up ${databaseName}: version 2 (manifest sha256 ${sha256(before.manifests[1]!)})`,
    );
    expect(result.stdout).toMatch(/1 signing key\(s\)/);
    expect((await stat(file())).mode & 0o777).toBe(0o600);
  }, 120_000);

  it.skipIf(onPostgres)(
    'refuses to copy a PGlite database a running server has open',
    async () => {
      const server = await startServe(envA());
      try {
        const result = await worstof(['backup', path.join(work, 'not-now.backup')], { env: envA() });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(new RegExp(`is in use by process ${server.child.pid} .*stop that one first`));
      } finally {
        expect(await server.stop()).toBe(0);
      }
    },
    120_000,
  );

  it('restores into an empty directory only, and the restored service serves the same signed manifests', async () => {
    // A version made after the backup: the restored service must not know it.
    const server = await startServe(envA());
    try {
      expect(await listDomain(server, 'zz-after-backup.example')).toMatchObject({ version: 3, changed: true });
    } finally {
      expect(await server.stop()).toBe(0);
    }

    const notEmpty = await worstof(['restore', file()], { env: envA() });
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toMatch(/is not empty: restore only into an empty/);
    if (onPostgres) {
      const intoUsedDatabase = await worstof(['restore', file()], { env: { ...envB(), DATABASE_URL: urlA } });
      expect(intoUsedDatabase.code).toBe(1);
      expect(intoUsedDatabase.stderr).toMatch(/not empty/);
    }

    const restored = await worstof(['restore', file()], { env: envB() });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(
      `restored ${databaseName}: version 2 (manifest sha256 ${sha256(before.manifests[1]!)})`,
    );

    const served = await startServe(envB());
    try {
      expect(await call(served, 'GET', '/.well-known/jwks.json', tokens.isp)).toEqual(before.jwks);
      expect(await call(served, 'GET', '/v1/list/1/manifest', tokens.isp)).toBe(before.manifests[0]);
      expect(await call(served, 'GET', '/v1/list/2/manifest', tokens.isp)).toBe(before.manifests[1]);
      expect(await call(served, 'GET', '/v1/list/manifest', tokens.isp)).toBe(before.manifests[1]);
      expect(await call(served, 'GET', '/v1/list/latest.txt', tokens.isp)).toBe(
        'zz-backup-one.example\nzz-backup-two.example\n',
      );

      // The next build chains onto the restored latest and is signed by the restored key.
      // ... recomputing every key: a restored summary is not trusted (issue 16).
      expect(await listDomain(served, 'zz-after-restore.example')).toMatchObject({
        version: 3,
        changed: true,
        full: true,
      });
      const manifest = await call<string>(served, 'GET', '/v1/list/3/manifest', tokens.isp);
      const { payload } = await compactVerify(manifest, createLocalJWKSet(before.jwks as never));
      const parsed = JSON.parse(new TextDecoder().decode(payload));
      expect(parsed.previous).toEqual({ version: 2, manifestSha256: sha256(before.manifests[1]!) });
      expect(await call(served, 'GET', '/v1/list/latest.txt', tokens.isp)).toBe(
        'zz-after-restore.example\nzz-backup-one.example\nzz-backup-two.example\n',
      );
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 180_000);

  it('writes and restores the signing keys alone with --keys-only, and says how to dump the database', async () => {
    const keysOnly = path.join(work, 'keys.backup');
    const result = await worstof(['backup', keysOnly, '--keys-only'], { env: envA() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/signing keys only, 1 signing key\(s\)/);
    expect(result.stderr).toMatch(/pg_dump --format=custom/);
    const target = path.join(work, 'keys-only-target');
    const restored = await worstof(['restore', keysOnly], { env: { DATA_DIR: target, DATABASE_URL: '' } });
    expect(restored.code).toBe(0);
    expect(restored.stderr).toMatch(/pg_restore --single-transaction/);
    expect((await stat(path.join(target, 'keys'))).mode & 0o777).toBe(0o700);
  }, 120_000);
});
