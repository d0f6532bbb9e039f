/** The benchmark's own database: a fresh PostgreSQL database when DATABASE_URL is set, else PGlite in a temp folder. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase, openPostgres } from '../src/db/client.ts';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';

export interface BenchDatabase extends Database {
  url: string | null;
  dir: string;
  drop(): Promise<void>;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wol-bench-'));
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `wol_bench_${randomBytes(4).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = openPostgres(url.toString(), 8);
    await migrate(database);
    return {
      ...database,
      url: url.toString(),
      dir,
      drop: async () => {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await openDatabase({ dataDir: dir });
  await migrate(database);
  return {
    ...database,
    url: null,
    dir,
    drop: async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
