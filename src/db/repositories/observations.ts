/**
 * Observations of reports: a review that found the material gone, or back. Inserts are
 * set-based. A report's latest observation says whether it still counts.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, intArray, queryRows } from '../database.ts';
import { observations } from '../schema.ts';

export type NewObservation = typeof observations.$inferInsert;
export type ObservationRow = typeof observations.$inferSelect;

const CHUNK = 1000;

/**
 * The latest observation (alias `o`: report_id, online, observed_at) of each report that
 * `where` selects: the newest observed, the later recorded on a tie. The evidence aggregate
 * reads it for a set of reports, as does the re-check queue for every listing; the queue's page
 * reads it per report of its few keys (`o.report_id = r.id`, laterally).
 */
export const latestObservations = (where: SQL): SQL => sql`
  select distinct on (o.report_id) o.report_id, o.online, o.observed_at
  from observations o where ${where}
  order by o.report_id, o.observed_at desc, o.id desc`;

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
