/**
 * The database handle every repository and service takes. Only client.ts knows whether
 * it is PGlite or postgres.js; both are a drizzle PgDatabase over the same schema.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

export type Schema = typeof schema;
/** A database or a transaction: repositories accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgresql';
  close(): Promise<void>;
}

/** Raw SQL rows: PGlite answers `{ rows }`, postgres.js an array. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Runs `work` in a transaction, or inside the one `db` already is (savepoint-free reuse). */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work(tx as unknown as Db));
}

/**
 * An array parameter as one bound value (a PostgreSQL array literal), so a set of any size is
 * one statement on both drivers and costs no per-value work in the query builder (drizzle
 * would spread a JS array into a list of parameters). Strings are quoted; null is NULL.
 */
export function sqlArray(values: readonly (string | number | boolean | null)[], type: string): SQL {
  const items = values.map((v) =>
    v === null ? 'NULL' : typeof v === 'string' ? `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"` : String(v),
  );
  return sql`${`{${items.join(',')}}`}::${sql.raw(type)}[]`;
}

export const textArray = (values: readonly string[]): SQL => sqlArray(values, 'text');
