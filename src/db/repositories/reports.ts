/** Reports and assessments. Inserts are set-based: a batch is a few statements, not one per row. */
import { and, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
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

/** Inserts new reports; those whose (organisation, external_ref) exists are skipped. Returns the inserted rows. */
export async function insertReports(db: Db, rows: readonly NewReport[]) {
  const inserted: StoredReport[] = [];
  for (const chunk of chunks(rows)) {
    inserted.push(
      ...(await db
        .insert(reports)
        .values(chunk)
        .onConflictDoNothing({ target: [reports.organisationId, reports.externalRef] })
        .returning(stored)),
    );
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

/** One organisation's assessment of a report counts once: a newer one replaces the older. */
export async function upsertAssessments(db: Db, rows: readonly NewAssessment[]) {
  const written: (typeof assessments.$inferSelect)[] = [];
  for (const chunk of chunks(rows)) {
    written.push(
      ...(await db
        .insert(assessments)
        .values(chunk)
        .onConflictDoUpdate({
          target: [assessments.reportId, assessments.organisationId],
          set: {
            analystRef: sql`excluded.analyst_ref`,
            assessedAt: sql`excluded.assessed_at`,
            observedOnlineAt: sql`excluded.observed_online_at`,
            verdict: sql`excluded.verdict`,
            realChild: sql`excluded.real_child`,
            apparentAge: sql`excluded.apparent_age`,
            severity: sql`excluded.severity`,
            contentType: sql`excluded.content_type`,
            note: sql`excluded.note`,
          },
        })
        .returning()),
    );
  }
  return written;
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
