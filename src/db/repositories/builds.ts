/** Build runs: every attempt, with its outcome, so analysts can watch each build. */
import { desc, gte, inArray, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../database.ts';
import { buildRuns } from '../schema.ts';

export type BuildRunRow = typeof buildRuns.$inferSelect;

export async function recordBuildRun(db: Db, row: typeof buildRuns.$inferInsert): Promise<BuildRunRow> {
  const [inserted] = await db.insert(buildRuns).values(row).returning();
  return inserted!;
}

/** The newest build that committed (changed or unchanged): what the list and the confirmation queue are as of. */
export async function latestCommittedRun(db: Db): Promise<BuildRunRow | null> {
  const [row] = await db
    .select()
    .from(buildRuns)
    .where(inArray(buildRuns.outcome, ['changed', 'unchanged']))
    .orderBy(desc(buildRuns.id))
    .limit(1);
  return row ?? null;
}

/** The build runs started since `since` (at most 5,000, the newest), for the durations chart. */
export async function buildRunsSince(db: Db, since: Date) {
  return db
    .select({ startedAt: buildRuns.startedAt, durationMs: buildRuns.durationMs, outcome: buildRuns.outcome })
    .from(buildRuns)
    .where(gte(buildRuns.startedAt, since))
    .orderBy(desc(buildRuns.startedAt))
    .limit(5000);
}

export async function recentBuildRuns(db: Db, limit: number): Promise<BuildRunRow[]> {
  return db.select().from(buildRuns).orderBy(desc(buildRuns.id)).limit(limit);
}

/** How many runs are recorded, for the builds page's count. */
export async function countBuildRuns(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from ${buildRuns}`);
  return Number(row?.n ?? 0);
}

/** For monitoring: the newest version, its entry count, and when the last successful build ended. */
export async function listStatus(db: Db): Promise<{ version: number; entryCount: number; lastSuccessAt: Date | null }> {
  const [row] = await queryRows<{ version: number | null; entry_count: number | null; last_success: string | null }>(
    db,
    sql`select (select version from snapshots order by version desc limit 1) as version,
               (select entry_count from snapshots order by version desc limit 1) as entry_count,
               (select max(started_at + duration_ms * interval '1 millisecond') from build_runs
                 where outcome in ('changed', 'unchanged')) as last_success`,
  );
  return {
    version: Number(row?.version ?? 0),
    entryCount: Number(row?.entry_count ?? 0),
    lastSuccessAt: row?.last_success ? new Date(row.last_success) : null,
  };
}
