/**
 * Migrates one template database per run: a PGlite data dump, or a PostgreSQL database
 * when DATABASE_URL is set. Each test file clones it (test/support/database.ts), so no
 * test pays for initdb or migrations. Bundles the ISP client as npm install does, so the
 * tests serve and run the client of the sources they test, not the one of the last install.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase, openPostgres } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
    postgresTemplate: string | null;
    pgliteTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  execFileSync('npm', ['run', '-s', 'build:client'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const databaseUrl = process.env.DATABASE_URL || null;
  if (databaseUrl) {
    const template = `wol_template_${randomBytes(4).toString('hex')}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${template}`);
    const database = openPostgres(withDatabase(databaseUrl, template), 1);
    await migrate(database);
    await database.close();
    project.provide('databaseUrl', databaseUrl);
    project.provide('postgresTemplate', template);
    project.provide('pgliteTemplate', null);
    return async () => {
      const stale = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`wol_t_${template.slice(13)}%`} or datname = ${template}`;
      for (const { datname } of stale) await admin.unsafe(`drop database if exists ${datname} with (force)`);
      await admin.end();
    };
  }
  const pglite = await PGlite.create();
  const database = await openDatabase({ pglite });
  await migrate(database);
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const dir = await mkdtemp(path.join(tmpdir(), 'wol-test-'));
  const file = path.join(dir, 'template.tar');
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide('databaseUrl', null);
  project.provide('postgresTemplate', null);
  project.provide('pgliteTemplate', file);
  return () => rm(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
