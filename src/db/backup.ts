/**
 * The database half of a backup, Node only. PGlite: its data directory as a gzipped tarball
 * (dumpDataDir), taken under the data directory's lock, so never while a server has it open
 * (PGlite is one process's database: a second opener would see, and could damage, pages the
 * first is writing). PostgreSQL:
 * pg_dump's custom format of a snapshot this process exports, so the newest version it names
 * is the dump's own; restored with pg_restore in one transaction into an empty database. The
 * password travels in PGPASSWORD, never in argv. A restore forgets the evidence summary
 * (issue 16): the first build after it recomputes every key.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, openPgliteDir } from './client.ts';
import { type Db, queryRows } from './database.ts';
import { openPostgres } from './postgres.ts';
import { forgetSummary } from './repositories/key-evidence.ts';

export interface Latest {
  version: number;
  manifestSha256: string;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

export const pgliteDir = (dataDir: string) => path.resolve(dataDir, 'pglite');

async function latestOf(db: Db): Promise<Latest | null> {
  const [row] = await queryRows<{ version: number; manifest_sha256: string }>(
    db,
    sql`select version, manifest_sha256 from snapshots order by version desc limit 1`,
  ).catch(() => []);
  return row ? { version: Number(row.version), manifestSha256: row.manifest_sha256 } : null;
}

export async function dumpPglite(dataDir: string): Promise<{ tarball: Uint8Array; latest: Latest | null }> {
  const dir = pgliteDir(dataDir);
  if (
    !(await access(path.join(dir, 'PG_VERSION')).then(
      () => true,
      () => false,
    ))
  )
    throw new BackupError(`there is no PGlite database in ${dir}`);
  const { pglite, close } = await openPgliteDir(dataDir);
  try {
    const latest = await latestOf((await openDatabase({ pglite })).db);
    const blob = await pglite.dumpDataDir('gzip');
    return { tarball: new Uint8Array(await blob.arrayBuffer()), latest };
  } finally {
    await close();
  }
}

export async function loadPglite(dataDir: string, tarball: Uint8Array): Promise<Latest | null> {
  const { pglite, close } = await openPgliteDir(
    dataDir,
    new Blob([tarball as Uint8Array<ArrayBuffer>], { type: 'application/x-gzip' }),
  );
  try {
    const { db } = await openDatabase({ pglite });
    await forgetSummary(db);
    return await latestOf(db);
  } finally {
    await close();
  }
}

/** The URL without its password, and the password apart, for the PostgreSQL client tools. */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { env, maxBuffer: 16 * 2 ** 20 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return reject(
          new BackupError(
            `${tool} is not on PATH: install the PostgreSQL client tools (the server's major version or newer)`,
          ),
        );
      reject(new BackupError(`${tool} failed: ${stderr.trim() || error.message}`));
    });
  });
}

/**
 * Dumps `url` into `file` and says which version the dump holds. pg_dump reads the snapshot of
 * a transaction held open here (REPEATABLE READ: one snapshot for all its statements), which
 * then reads the newest version: a build committing meanwhile is in neither, never in one only.
 */
export async function dumpPostgres(url: string, file: string): Promise<Latest | null> {
  const database = openPostgres(url, 1);
  try {
    return await database.db.transaction(
      async (tx) => {
        const [exported] = await queryRows<{ id: string }>(tx, sql`select pg_export_snapshot() as id`);
        const { dbname, env } = toolConnection(url);
        await run(
          'pg_dump',
          [
            '--format=custom',
            '--no-owner',
            '--no-privileges',
            `--snapshot=${exported!.id}`,
            `--file=${file}`,
            `--dbname=${dbname}`,
          ],
          env,
        );
        return latestOf(tx);
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  } finally {
    await database.close();
  }
}

/** Restores into `url`, which must be an empty database: the restore never mixes two states. */
export async function restorePostgres(url: string, file: string): Promise<Latest | null> {
  const database = openPostgres(url, 1);
  try {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`,
    );
    if (Number(row?.n ?? 0) > 0)
      throw new BackupError('the database DATABASE_URL names is not empty: restore only into a new, empty database');
    const { dbname, env } = toolConnection(url);
    await run(
      'pg_restore',
      ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${dbname}`, file],
      env,
    );
    await forgetSummary(database.db);
    return await latestOf(database.db);
  } finally {
    await database.close();
  }
}

export const pgDumpCommand = 'pg_dump --format=custom --no-owner --no-privileges --file=worstof.pgdump "$DATABASE_URL"';
export const pgRestoreCommand =
  'pg_restore --single-transaction --exit-on-error --no-owner --no-privileges --dbname="$DATABASE_URL" worstof.pgdump';
