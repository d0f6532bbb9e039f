/**
 * One process at a time on a PGlite data directory: with `worstof serve` running, a second
 * serve, a build, a migrate and a backup on the same DATA_DIR are refused, naming the running
 * process, and the first goes on serving with its files intact. A lock left by a process that
 * is gone, or whose pid now runs another program, is taken over.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './support/actors.ts';
import { onPostgres } from './support/database.ts';
import { startServe } from './support/serve.ts';
import { worstof } from './support/server.ts';

if (onPostgres) console.log('data-dir-lock: skipped, DATABASE_URL is set: the lock guards PGlite files only');

let work: string;
const dataDir = () => path.join(work, 'data');
const lockFile = () => path.join(dataDir(), 'worstof.lock');
const env = () => ({ DATA_DIR: dataDir(), DATABASE_URL: '', WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN });
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'wol-lock-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(onPostgres)('the PGlite data directory lock', () => {
  it('refuses a second serve, a build, a migrate and a backup while serve runs, naming it', async () => {
    const server = await startServe(env());
    try {
      const pid = server.child.pid!;
      const holder = JSON.parse(await readFile(lockFile(), 'utf8'));
      expect(holder).toMatchObject({ pid, command: expect.stringContaining('bin/worstof.js serve') });

      for (const args of [['serve'], ['build'], ['migrate'], ['backup', path.join(work, 'x.backup')]]) {
        const result = await worstof(args, { env: { ...env(), PORT: '0', HOST: '127.0.0.1', WOL_BUILD_CRON: 'off' } });
        expect(result.code, `worstof ${args[0]}`).toBe(1);
        expect(result.stderr).toContain(`DATA_DIR ${dataDir()} is in use by process ${pid} (`);
        expect(result.stderr).toContain('bin/worstof.js serve');
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
      expect(await exists(path.join(work, 'x.backup'))).toBe(false);

      // The first is untouched: it serves and builds, and PGlite's own marker is still there.
      const build = await fetch(`${server.url}/v1/builds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(build.status).toBe(200);
      expect(await build.json()).toMatchObject({ version: 1 });
      expect(await exists(path.join(dataDir(), 'pglite', 'postmaster.pid'))).toBe(true);
      expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(pid);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(await exists(lockFile())).toBe(false);

    // The build the first server made survived its stop.
    const again = await worstof(['build'], { env: env() });
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toMatchObject({ version: 1, changed: false });
    expect(await exists(lockFile())).toBe(false);
  }, 180_000);

  it('takes over a lock whose process is gone', async () => {
    const gone = await new Promise<number>((resolve) => {
      const child = execFile(process.execPath, ['-e', '']);
      child.on('exit', () => resolve(child.pid!));
    });
    const stale = { pid: gone, command: 'node bin/worstof.js serve', startedAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(lockFile(), `${JSON.stringify(stale)}\n`, { mode: 0o600 });
    const result = await worstof(['build'], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await exists(lockFile())).toBe(false);
  }, 120_000);

  it('takes over a lock whose pid now runs another program, and a lock file that is not one', async () => {
    // This test process runs, but it is not the worstof the lock names: the pid was reused.
    const reused = { pid: process.pid, command: 'node bin/worstof.js serve', startedAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(lockFile(), `${JSON.stringify(reused)}\n`, { mode: 0o600 });
    const server = await startServe(env());
    try {
      expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(server.child.pid);
    } finally {
      expect(await server.stop()).toBe(0);
    }

    // What a crash in the middle of a write could leave (the lock is linked whole, but disks fail).
    await writeFile(lockFile(), '', { mode: 0o600 });
    const result = await worstof(['migrate'], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await exists(lockFile())).toBe(false);
  }, 120_000);
});
