/**
 * The database handle every repository and service takes. Only client.ts knows whether
 * it is PGlite or postgres.js; both are a drizzle PgDatabase over the same schema.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type PgDatabase, type PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { databaseFailure } from './errors.ts';
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

/** How often a transaction another one deadlocked or serialized out of is run, in all. */
const TRANSACTION_TRIES = 4;

/**
 * Runs `work` in a transaction of its own. When `db` is already a transaction, `work` does not
 * simply join it: drizzle opens a savepoint (on PGlite and postgres.js alike), so a failure
 * undoes `work`'s writes only, and is not retried here, since retrying the savepoint would meet
 * the same locks the outer transaction still holds: it is the outermost call's to retry. There,
 * a deadlock or a serialization failure rolled the whole transaction back, so it runs again, a
 * few times, after a short pause with jitter (so that the two parties do not meet again in
 * step); `work` must do nothing outside the database that may not happen twice.
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return db.transaction((tx) => work(tx as unknown as Db));
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx as unknown as Db));
    } catch (error) {
      if (attempt >= TRANSACTION_TRIES || databaseFailure(error) !== 'contention') throw error;
      const pauseMs = 20 * 2 ** (attempt - 1) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/**
 * For the rest of the transaction `db` is, no JIT compilation: look-ups bounded by a batch
 * (tens of milliseconds) on tables not yet analysed look expensive to the planner, and
 * PostgreSQL then spends ~40 ms compiling each one, more than it takes to run. PGlite has no JIT
 * and accepts the setting.
 */
export async function shortStatementsOnly(db: Db): Promise<void> {
  await db.execute(sql`set local jit = off`);
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

export const intArray = (values: readonly number[]): SQL => sqlArray(values.map(Math.trunc), 'int');

/**
 * Deletes the rows of `keys` from a table keyed by list key, every row when `keys` is null: what a
 * build re-derives per key (issue 16) it first removes for those keys, or for all on a full build.
 */
export async function deleteKeyed(db: Db, table: string, keys: readonly string[] | null): Promise<void> {
  const name = sql.identifier(table);
  await db.execute(
    keys === null ? sql`delete from ${name}` : sql`delete from ${name} where list_key = any(${textArray(keys)})`,
  );
}
