/**
 * PostgreSQL through postgres.js: the one driver both runtimes share. Nothing here is
 * Node-only: on Workers, postgres.js resolves to its `cloudflare:sockets` build.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database, Db } from './database.ts';
import * as schema from './schema.ts';

export function openPostgres(url: string, max = 10): Database {
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: 'worstof' } });
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: 'postgresql',
    close: () => client.end({ timeout: 5 }),
  };
}
