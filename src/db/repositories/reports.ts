/** Reports and assessments. Inserts are set-based: a batch is a few statements, not one per row. */
import { and, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, sqlArray } from '../database.ts';
import { assessments, reports } from '../schema.ts';

export type NewReport = typeof reports.$inferInsert;
export type NewAssessment = typeof assessments.$inferInsert;
export type ReportRow = typeof reports.$inferSelect;

const CHUNK = 1000;

/** What a submission answers about a report, new or already stored. */
const stored = {
  id: reports.id,
  externalRef: reports.externalRef,
  url: reports.urlCanonical,
  host: reports.host,
  listKey: reports.listKey,
};
export type StoredReport = { id: number; externalRef: string; url: string; host: string; listKey: string };

function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

/**
 * Writers take the unique index's row locks in the order of their rows. Two batches naming the
 * same keys in different orders would each hold a lock the other waits for (a deadlock), so
 * every batch is written in one canonical order: that of its unique key.
 */
const byKey = <R>(rows: readonly R[], key: (r: R) => [number, string | number]): R[] =>
  [...rows].sort((a, b) => {
    const [a1, a2] = key(a);
    const [b1, b2] = key(b);
    return a1 - b1 || (a2 < b2 ? -1 : a2 > b2 ? 1 : 0);
  });

/**
 * Inserts new reports; those whose (organisation, external_ref) exists are skipped. Returns
 * the inserted rows. One statement per chunk, its columns bound as arrays and unnested.
 */
export async function insertReports(db: Db, rows: readonly NewReport[]): Promise<StoredReport[]> {
  const inserted: StoredReport[] = [];
  const sorted = byKey(rows, (r) => [r.organisationId, r.externalRef]);
  for (const chunk of chunks(sorted, 5000)) {
    const column = <T extends string | number | null>(pick: (r: NewReport) => T, type: string) =>
      sqlArray(chunk.map(pick), type);
    const result = await queryRows<{ id: number; external_ref: string; url: string; host: string; list_key: string }>(
      db,
      sql`insert into ${reports} (organisation_id, external_ref, url, url_canonical, host, domain, list_key, reported_at, observed_online_at, received_at)
          select * from unnest(${column((r) => r.organisationId, 'int')}, ${column((r) => r.externalRef, 'text')},
            ${column((r) => r.url, 'text')}, ${column((r) => r.urlCanonical, 'text')}, ${column((r) => r.host, 'text')},
            ${column((r) => r.domain, 'text')}, ${column((r) => r.listKey, 'text')}, ${column((r) => iso(r.reportedAt), 'timestamptz')},
            ${column((r) => iso(r.observedOnlineAt), 'timestamptz')}, ${column((r) => iso(r.receivedAt) ?? new Date().toISOString(), 'timestamptz')})
          on conflict (organisation_id, external_ref) do nothing
          returning id, external_ref, url_canonical as url, host, list_key`,
    );
    for (const r of result)
      inserted.push({ id: Number(r.id), externalRef: r.external_ref, url: r.url, host: r.host, listKey: r.list_key });
  }
  return inserted;
}

export async function findReportsByRef(db: Db, organisationId: number, externalRefs: readonly string[]) {
  const found: StoredReport[] = [];
  for (const chunk of chunks(externalRefs)) {
    found.push(
      ...(await db
        .select(stored)
        .from(reports)
        .where(and(eq(reports.organisationId, organisationId), inArray(reports.externalRef, chunk)))),
    );
  }
  return found;
}

export async function getReport(db: Db, id: number): Promise<ReportRow | undefined> {
  const [row] = await db.select().from(reports).where(eq(reports.id, id));
  return row;
}

/**
 * One organisation's assessment of a report counts once: a newer one replaces the older.
 * Set-based like insertReports; returns the ids written, in no particular order.
 */
export async function upsertAssessments(db: Db, rows: readonly NewAssessment[]): Promise<number[]> {
  const ids: number[] = [];
  const sorted = byKey(rows, (r) => [r.reportId, r.organisationId]);
  for (const chunk of chunks(sorted, 5000)) {
    const column = <T extends string | number | boolean | null>(pick: (r: NewAssessment) => T, type: string) =>
      sqlArray(chunk.map(pick), type);
    const result = await queryRows<{ id: number }>(
      db,
      sql`insert into ${assessments} (report_id, organisation_id, analyst_ref, assessed_at, observed_online_at, verdict,
            real_child, apparent_age, severity, content_type, note)
          select * from unnest(${column((r) => r.reportId, 'int')}, ${column((r) => r.organisationId, 'int')},
            ${column((r) => r.analystRef ?? null, 'text')}, ${column((r) => iso(r.assessedAt) ?? new Date().toISOString(), 'timestamptz')},
            ${column((r) => iso(r.observedOnlineAt), 'timestamptz')}, ${column((r) => r.verdict, 'text')},
            ${column((r) => r.realChild, 'boolean')}, ${column((r) => r.apparentAge, 'text')}, ${column((r) => r.severity, 'smallint')},
            ${column((r) => r.contentType ?? null, 'text')}, ${column((r) => r.note ?? null, 'text')})
          on conflict (report_id, organisation_id) do update set
            analyst_ref = excluded.analyst_ref, assessed_at = excluded.assessed_at,
            observed_online_at = excluded.observed_online_at, verdict = excluded.verdict,
            real_child = excluded.real_child, apparent_age = excluded.apparent_age, severity = excluded.severity,
            content_type = excluded.content_type, note = excluded.note
          returning id`,
    );
    for (const r of result) ids.push(Number(r.id));
  }
  return ids;
}

export async function getAssessment(db: Db, id: number) {
  const [row] = await db.select().from(assessments).where(eq(assessments.id, id));
  return row;
}

export async function listReports(
  db: Db,
  filter: {
    organisationId?: number | undefined;
    listKey?: string | undefined;
    before?: number | undefined;
    limit: number;
  },
) {
  const conditions: SQL[] = [];
  if (filter.organisationId !== undefined) conditions.push(eq(reports.organisationId, filter.organisationId));
  if (filter.listKey !== undefined) conditions.push(eq(reports.listKey, filter.listKey));
  if (filter.before !== undefined) conditions.push(lt(reports.id, filter.before));
  return db
    .select()
    .from(reports)
    .where(and(...conditions))
    .orderBy(desc(reports.id))
    .limit(filter.limit);
}
