/** Observations of reports: a review that found the material gone, or back. Inserts are set-based. */
import { sql } from 'drizzle-orm';
import { type Db, intArray, queryRows } from '../database.ts';
import { observations } from '../schema.ts';

export type NewObservation = typeof observations.$inferInsert;
export type ObservationRow = typeof observations.$inferSelect;

const CHUNK = 1000;

export async function insertObservations(db: Db, rows: readonly NewObservation[]): Promise<ObservationRow[]> {
  const written: ObservationRow[] = [];
  for (let i = 0; i < rows.length; i += CHUNK)
    written.push(
      ...(await db
        .insert(observations)
        .values(rows.slice(i, i + CHUNK))
        .returning()),
    );
  return written;
}

/** Which of these report ids exist. */
export async function existingReportIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: number }>(db, sql`select id from reports where id = any(${intArray(ids)})`);
  return new Set(rows.map((r) => Number(r.id)));
}
