/**
 * Opens the database on Node: postgres.js when a URL is given, else embedded PGlite in a
 * folder. The Workers entry imports ./postgres.ts alone, so PGlite never reaches its bundle.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
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
  const client = options.pglite ?? (await openPgliteDir(options.dataDir ?? './data'));
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'pglite',
    close: () => client.close(),
  };
}

async function openPgliteDir(dataDir: string): Promise<PGlite> {
  const dir = path.resolve(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  return PGlite.create({ dataDir: dir });
}
