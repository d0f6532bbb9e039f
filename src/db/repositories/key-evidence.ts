/**
 * The evidence kept per key between builds (issue 16): key_evidence, the keys writes named
 * since (evidence_changes, filled by migration 0009's triggers) and under which criteria the
 * summary was made (evidence_summary). The build's reads here are each one index range or
 * one probe per key, so an incremental build's cost follows the keys it re-aggregates.
 */
import { sql } from 'drizzle-orm';
import { ageRank } from '../../core/criteria.ts';
import type { KeySummary } from '../../core/key-summary.ts';
import { type Db, deleteKeyed, queryRows, sqlArray, textArray } from '../database.ts';
import { evidenceChanges, evidenceSummary } from '../schema.ts';
import { type EvidenceRow, toEvidence } from './evidence.ts';

export interface SummaryState {
  criteriaVersion: number;
  listedVersion: number | null;
}

export async function summaryState(db: Db): Promise<SummaryState | undefined> {
  const [row] = await db
    .select({ criteriaVersion: evidenceSummary.criteriaVersion, listedVersion: evidenceSummary.listedVersion })
    .from(evidenceSummary);
  return row;
}

export async function markSummary(db: Db, state: SummaryState, at: Date): Promise<void> {
  const values = { ...state, refreshedAt: at };
  await db
    .insert(evidenceSummary)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: evidenceSummary.id, set: values });
}

/**
 * Forgets the summary, so the next build recomputes every key: after a restore, which may
 * bring a backup older than the summary's table (the migration then makes it, empty).
 */
export async function forgetSummary(db: Db): Promise<void> {
  await db.execute(
    sql.raw(
      `do $$ begin if to_regclass('evidence_summary') is not null then delete from evidence_summary; end if; end $$`,
    ),
  );
}

/**
 * The keys writes named since the last build: taken (deleted) by a build, only read by a
 * preview. A write committed after the statement began stays for the next build.
 */
export async function changedKeys(db: Db, take: boolean): Promise<string[]> {
  const rows = await queryRows<{ list_key: string }>(
    db,
    take
      ? sql`delete from ${evidenceChanges} returning list_key`
      : sql`select distinct list_key from ${evidenceChanges}`,
  );
  return [...new Set(rows.map((r) => r.list_key))];
}

export async function clearChanges(db: Db): Promise<void> {
  await db.delete(evidenceChanges);
}

/** Keys whose summary is stale by time at `now`: one range of the changes_at index. */
export async function keysChangedBy(db: Db, now: Date): Promise<string[]> {
  const rows = await queryRows<{ list_key: string }>(
    db,
    sql`select list_key from key_evidence where changes_at < ${now.toISOString()}::timestamptz`,
  );
  return rows.map((r) => r.list_key);
}

/** Replaces the summaries of `keys` (every summary when `keys` is null) with `rows`. */
export async function writeSummaries(db: Db, rows: readonly KeySummary[], keys: readonly string[] | null) {
  await deleteKeyed(db, 'key_evidence', keys);
  if (rows.length === 0) return;
  const column = (pick: (r: KeySummary) => string | number | boolean | null, type: string) =>
    sqlArray(rows.map(pick), type);
  const iso = (d: Date | null) => (d === null ? null : d.toISOString());
  await db.execute(sql`
    insert into key_evidence (list_key, reports, offline_reports, confirmed, qualifying_organisations,
      qualifying_countries, any_real_child, youngest_rank, highest_severity, latest_online_at, excluded,
      included, changes_at)
    select * from unnest(
      ${textArray(rows.map((r) => r.evidence.listKey))},
      ${column((r) => r.evidence.reports, 'int')},
      ${column((r) => r.evidence.offlineReports, 'int')},
      ${column((r) => r.evidence.confirmedAssessments, 'int')},
      ${column((r) => r.evidence.qualifyingOrganisations, 'int')},
      ${column((r) => r.evidence.qualifyingCountries, 'int')},
      ${column((r) => r.evidence.anyRealChild, 'boolean')},
      ${column((r) => (r.evidence.youngestApparentAge === null ? null : ageRank(r.evidence.youngestApparentAge)), 'int')},
      ${column((r) => r.evidence.highestSeverity, 'int')},
      ${column((r) => iso(r.evidence.latestOnlineAt), 'timestamptz')},
      ${column((r) => r.evidence.excluded, 'boolean')},
      ${column((r) => r.included, 'boolean')},
      ${column((r) => iso(r.changesAt), 'timestamptz')})`);
}

interface SummaryRow extends Omit<EvidenceRow, 'earliest_counting_at'> {
  included: boolean;
  changes_at: Date | string | null;
}

/** Every summary, keys bytewise. */
export async function readSummaries(db: Db): Promise<KeySummary[]> {
  const rows = await queryRows<SummaryRow>(db, sql`select * from key_evidence order by list_key collate "C"`);
  return rows.map((row) => ({
    evidence: toEvidence(row),
    included: row.included,
    changesAt: row.changes_at === null ? null : new Date(row.changes_at),
  }));
}

/** The keys the summary includes. */
export async function includedKeys(db: Db): Promise<string[]> {
  const rows = await queryRows<{ list_key: string }>(db, sql`select list_key from key_evidence where included`);
  return rows.map((r) => r.list_key);
}
