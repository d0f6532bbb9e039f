/**
 * A fresh, migrated database for one test file: a clone of the run's template, on PGlite
 * or (with DATABASE_URL) on PostgreSQL. The same test files run on both.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, openPostgres } from '../../src/db/client.ts';
import type { Database } from '../../src/db/database.ts';
import { withDatabase } from './global-setup.ts';

export const onPostgres = Boolean(inject('databaseUrl'));
export const databaseName = onPostgres ? 'postgresql' : 'pglite';

/** A database of its own; `url` is set on PostgreSQL so a test can open more connections or start a server. */
export async function createTestDatabase(): Promise<Database & { url: string | null }> {
  const databaseUrl = inject('databaseUrl');
  const template = inject('postgresTemplate');
  if (databaseUrl && template) {
    const name = `wol_t_${template.slice(13)}_${randomBytes(4).toString('hex')}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template}`);
    const url = withDatabase(databaseUrl, name);
    const database = openPostgres(url, 4);
    return {
      ...database,
      url,
      close: async () => {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dump = await readFile(inject('pgliteTemplate') as string);
  const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
  return { ...(await openDatabase({ pglite })), url: null };
}
