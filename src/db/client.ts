/**
 * Opens the database on Node: postgres.js when a URL is given, else embedded PGlite in a
 * folder, under the folder's lock until it closes. The Workers entry imports ./postgres.ts
 * alone, so PGlite never reaches its bundle.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { prepareDataDir } from '../data-dir.ts';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database, Db } from './database.ts';
import { openPostgres } from './postgres.ts';
import * as schema from './schema.ts';

export { openPostgres };

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder for PGlite's files; ignored with a URL. */
  dataDir?: string;
  /** An already open PGlite (tests clone a migrated template into one). */
  pglite?: PGlite;
  maxConnections?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.maxConnections ?? 10);
  const { pglite, close } = options.pglite
    ? { pglite: options.pglite, close: () => options.pglite!.close() }
    : await openPgliteDir(options.dataDir ?? './data');
  return { db: drizzlePglite(pglite, { schema }) as unknown as Db, kind: 'pglite', close };
}

/**
 * PGlite in DATA_DIR/pglite, with the data directory's lock: another process that has it
 * open makes this throw (DataDirLockedError). `close` closes the database, then lets the lock go.
 * `loadDataDir` fills a new folder from a dumpDataDir tarball (a restore).
 */
export async function openPgliteDir(
  dataDir: string,
  loadDataDir?: Blob,
): Promise<{ pglite: PGlite; close: () => Promise<void> }> {
  await prepareDataDir(dataDir);
  const release = await lockDataDir(dataDir);
  try {
    const dir = path.resolve(dataDir, 'pglite');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const pglite = await PGlite.create({ dataDir: dir, ...(loadDataDir ? { loadDataDir } : {}) });
    const close = async () => {
      try {
        await pglite.close();
      } finally {
        release();
      }
    };
    return { pglite, close };
  } catch (error) {
    release();
    throw error;
  }
}
