/** `worstof migrate`: applies the migrations to DATABASE_URL, or to PGlite in DATA_DIR. */
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';

export async function migrateCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(database);
    process.stdout.write(`migrated the ${database.kind} database\n`);
  } finally {
    await database.close();
  }
  return 0;
}
