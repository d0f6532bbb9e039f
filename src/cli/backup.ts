/**
 * `worstof backup FILE` and `worstof restore FILE`: the whole state in one file, a tar of
 *   worstof-backup.json   what it holds (format, database kind, key files, newest version)
 *   database/pglite.tar.gz | database/postgres.dump   (absent with --keys-only)
 *   keys/<kid>.jwk        the private signing keys of DATA_DIR/keys
 * The keys are read after the database is dumped: a key is written to DATA_DIR/keys before
 * its row commits, so every key the dump names is in the file. The file holds private keys:
 * it is written 0600; keep it as you keep the keys. Restore refuses a non-empty DATA_DIR
 * (and, on PostgreSQL, a non-empty database) and on failure leaves DATA_DIR empty again.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { prepareDataDir } from '../data-dir.ts';
import {
  BackupError,
  dumpPglite,
  dumpPostgres,
  type Latest,
  loadPglite,
  pgDumpCommand,
  pgRestoreCommand,
  restorePostgres,
} from '../db/backup.ts';
import { parseOptions, UsageError } from './args.ts';

const MANIFEST = 'worstof-backup.json';
const PGLITE_FILE = 'database/pglite.tar.gz';
const POSTGRES_FILE = 'database/postgres.dump';

const backupManifest = z.object({
  format: z.literal('worstof-backup'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  database: z.enum(['pglite', 'postgresql']),
  databaseFile: z.enum([PGLITE_FILE, POSTGRES_FILE]).nullable(),
  keys: z.array(z.string().regex(/^[A-Za-z0-9_-]+\.jwk$/)),
  latest: z.object({ version: z.number().int(), manifestSha256: z.string() }).nullable(),
});
type BackupManifest = z.infer<typeof backupManifest>;

const backupUsage = 'worstof backup FILE [--keys-only]';
const restoreUsage = 'worstof restore FILE';

const describe = (latest: Latest | null) =>
  latest ? `version ${latest.version} (manifest sha256 ${latest.manifestSha256})` : 'no version yet';

async function withStaging<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'worstof-backup-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function keyFiles(dataDir: string): Promise<string[]> {
  const names = await readdir(path.resolve(dataDir, 'keys')).catch(() => [] as string[]);
  return names.filter((name) => /^[A-Za-z0-9_-]+\.jwk$/.test(name)).sort();
}

export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'keys-only': { type: 'boolean', default: false } }, backupUsage);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError(`usage: ${backupUsage}`);
  const config = loadConfig(process.env);
  const kind = config.DATABASE_URL ? 'postgresql' : 'pglite';
  const target = path.resolve(file);

  const manifest = await withStaging(async (staging) => {
    await mkdir(path.join(staging, 'database'));
    await mkdir(path.join(staging, 'keys'));
    let latest: Latest | null = null;
    let databaseFile: BackupManifest['databaseFile'] = null;
    if (!values['keys-only'] && config.DATABASE_URL) {
      latest = await dumpPostgres(config.DATABASE_URL, path.join(staging, POSTGRES_FILE));
      databaseFile = POSTGRES_FILE;
    } else if (!values['keys-only']) {
      const dump = await dumpPglite(config.DATA_DIR);
      await writeFile(path.join(staging, PGLITE_FILE), dump.tarball);
      latest = dump.latest;
      databaseFile = PGLITE_FILE;
    }
    const keys = await keyFiles(config.DATA_DIR);
    for (const name of keys)
      await writeFile(path.join(staging, 'keys', name), await readFile(path.resolve(config.DATA_DIR, 'keys', name)), {
        mode: 0o600,
      });
    const manifest: BackupManifest = {
      format: 'worstof-backup',
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      database: kind,
      databaseFile,
      keys,
      latest,
    };
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = `${target}.partial`;
    await tar.create({ file: partial, cwd: staging, portable: true }, [
      MANIFEST,
      ...(databaseFile ? [databaseFile] : []),
      ...keys.map((k) => `keys/${k}`),
    ]);
    await chmod(partial, 0o600);
    await rename(partial, target);
    return manifest;
  });

  process.stdout.write(
    `backed up ${kind}${manifest.databaseFile ? `: ${describe(manifest.latest)}` : ' signing keys only'}, ${manifest.keys.length} signing key(s), to ${target}\n`,
  );
  if (!manifest.databaseFile)
    process.stderr.write(`dump the database yourself, at about the same time:\n  ${pgDumpCommand}\n`);
  return 0;
}

async function emptyOrAbsent(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.length === 0;
}

export async function restoreCommand(args: string[]): Promise<number> {
  const { positionals } = parseOptions(args, {}, restoreUsage);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError(`usage: ${restoreUsage}`);
  const config = loadConfig(process.env);
  const dataDir = path.resolve(config.DATA_DIR);
  if (!(await emptyOrAbsent(dataDir)))
    throw new BackupError(`DATA_DIR ${dataDir} is not empty: restore only into an empty (or new) data directory`);

  const { manifest, latest } = await withStaging(async (staging) => {
    await tar.extract({ file: path.resolve(file), cwd: staging, strict: true });
    const manifest = backupManifest.parse(JSON.parse(await readFile(path.join(staging, MANIFEST), 'utf8')));
    if (manifest.database === 'pglite' && manifest.databaseFile && config.DATABASE_URL)
      throw new BackupError('this backup holds a PGlite database: unset DATABASE_URL to restore it');
    if (manifest.database === 'postgresql' && manifest.databaseFile && !config.DATABASE_URL)
      throw new BackupError('this backup holds a PostgreSQL dump: set DATABASE_URL to a new, empty database');

    await prepareDataDir(dataDir);
    try {
      let latest: Latest | null = null;
      if (manifest.databaseFile === PGLITE_FILE)
        latest = await loadPglite(dataDir, await readFile(path.join(staging, PGLITE_FILE)));
      else if (manifest.databaseFile === POSTGRES_FILE)
        latest = await restorePostgres(config.DATABASE_URL!, path.join(staging, POSTGRES_FILE));
      const keys = path.join(dataDir, 'keys');
      await mkdir(keys, { recursive: true, mode: 0o700 });
      await chmod(keys, 0o700);
      for (const name of manifest.keys)
        await writeFile(path.join(keys, name), await readFile(path.join(staging, 'keys', name)), { mode: 0o600 });
      return { manifest, latest };
    } catch (error) {
      // DATA_DIR was empty: emptying it again lets the operator simply run the restore again.
      for (const entry of await readdir(dataDir)) await rm(path.join(dataDir, entry), { recursive: true, force: true });
      throw error;
    }
  });

  process.stdout.write(
    `restored ${manifest.database}${manifest.databaseFile ? `: ${describe(latest)}` : ' signing keys only'}, ${manifest.keys.length} signing key(s), into ${dataDir}\n`,
  );
  if (!manifest.databaseFile)
    process.stderr.write(`restore the database yourself, into a new, empty database:\n  ${pgRestoreCommand}\n`);
  return 0;
}
