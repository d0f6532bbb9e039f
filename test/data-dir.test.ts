/**
 * DATA_DIR is its owner's alone: a first start makes it (and its pglite and keys folders)
 * 0700, so no other user can read a key or a database file, and a start, a build or a restore
 * on a DATA_DIR that group or others can enter is refused, naming it and its mode.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './support/actors.ts';
import { createTestDatabase, databaseName, onPostgres } from './support/database.ts';
import { startServe } from './support/serve.ts';
import { worstof } from './support/server.ts';

// Reading as another user needs root to become one (nobody); the modes are checked either way.
const asRoot = process.getuid?.() === 0;
if (!asRoot) console.log('data-dir: reading as another user skipped, the tests do not run as root');

let work: string;
let databaseUrl = '';
let dropDatabase: (() => Promise<void>) | null = null;
const env = (dataDir: string) => ({
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
});
const fresh = () => path.join(work, 'fresh', 'data');
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

/** `cat` as nobody: the files it could read, by name. */
function readableByNobody(files: string[]): Promise<string[]> {
  return Promise.all(
    files.map(
      (file) =>
        new Promise<string | null>((resolve) =>
          execFile('cat', [file], { uid: 65534, gid: 65534 }, (error) => resolve(error ? null : file)),
        ),
    ),
  ).then((read) => read.filter((file) => file !== null));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'wol-datadir-'));
  // mkdtemp makes `work` 0700: nobody could not get in whatever DATA_DIR's mode.
  await chmod(work, 0o755);
  if (onPostgres) {
    const database = await createTestDatabase();
    databaseUrl = database.url!;
    dropDatabase = database.close;
  }
});

afterAll(async () => {
  await dropDatabase?.();
  await rm(work, { recursive: true, force: true });
});

describe(`DATA_DIR on ${databaseName}`, () => {
  it('is made 0700 with its pglite and keys folders at the first start, and nobody else can read in it', async () => {
    const dataDir = fresh();
    const server = await startServe(env(dataDir));
    try {
      expect(await modeOf(dataDir)).toBe(0o700);
      const entries = await readdir(dataDir);
      expect(entries).toContain('keys');
      if (!onPostgres) expect(entries).toEqual(expect.arrayContaining(['pglite', 'worstof.lock']));
      for (const entry of entries)
        expect((await modeOf(path.join(dataDir, entry))) & 0o077, `${entry} is its owner's alone`).toBe(0);

      if (asRoot) {
        const keys = await readdir(path.join(dataDir, 'keys'));
        expect(keys.length).toBeGreaterThan(0);
        const files = [
          ...keys.map((key) => path.join(dataDir, 'keys', key)),
          ...(onPostgres ? [] : [path.join(dataDir, 'pglite', 'PG_VERSION'), path.join(dataDir, 'worstof.lock')]),
        ];
        expect(await readableByNobody(files)).toEqual([]);
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 120_000);

  it('refuses to start, build or restore into a DATA_DIR that others can read, naming it and its mode', async () => {
    const dataDir = path.join(work, 'open');
    await mkdir(dataDir);
    await chmod(dataDir, 0o755);
    const refusal = `DATA_DIR ${dataDir} has mode 0755: group and others must have no access to it`;

    const serve = await startServe(env(dataDir)).then(
      async (server) => {
        await server.stop();
        return 'it served';
      },
      (error: Error) => error.message,
    );
    expect(serve).toMatch(/^serve exited with 1 before serving:/);
    expect(serve).toContain(`worstof serve: ${refusal}`);
    expect(serve).not.toMatch(/\n\s+at /);

    const build = await worstof(['build'], { env: env(dataDir) });
    expect(build.code).toBe(1);
    expect(build.stderr).toBe(
      `worstof build: ${refusal} (it holds the database and the private signing keys); run chmod 700 ${dataDir}\n`,
    );

    const group = path.join(work, 'group');
    await mkdir(group);
    await chmod(group, 0o770);
    const file = path.join(work, 'keys.backup');
    expect((await worstof(['backup', file, '--keys-only'], { env: env(fresh()) })).code).toBe(0);
    const restore = await worstof(['restore', file], { env: env(group) });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain(`worstof restore: DATA_DIR ${group} has mode 0770: group and others`);

    // Nothing was written into the refused folders.
    expect(await readdir(dataDir)).toEqual([]);
    expect(await readdir(group)).toEqual([]);
  }, 120_000);
});
