/** Applies the drizzle-kit migrations in ./drizzle (the same files on PGlite and PostgreSQL). */
import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from './database.ts';
import { databaseFailure, failureMessage } from './errors.ts';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export async function migrate(database: Database): Promise<void> {
  const config = { migrationsFolder };
  try {
    if (database.kind === 'pglite') await migratePglite(database.db as never, config);
    else await migratePostgres(database.db as never, config);
  } catch (error) {
    // Every start migrates first, even an up-to-date database: this is where a standby shows.
    if (databaseFailure(error) === 'read_only')
      throw new Error(
        `the database is read-only (${failureMessage(error)}): worstof writes to it (migrations, signing keys, builds); ` +
          'point DATABASE_URL at the primary, or turn default_transaction_read_only off',
        { cause: error },
      );
    throw error;
  }
}
