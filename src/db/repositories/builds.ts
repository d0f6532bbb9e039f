/** Build runs: every attempt, with its outcome, so analysts can watch each build. */
import { desc } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { buildRuns } from '../schema.ts';

export type BuildRunRow = typeof buildRuns.$inferSelect;

export async function recordBuildRun(db: Db, row: typeof buildRuns.$inferInsert): Promise<BuildRunRow> {
  const [inserted] = await db.insert(buildRuns).values(row).returning();
  return inserted!;
}

export async function recentBuildRuns(db: Db, limit: number): Promise<BuildRunRow[]> {
  return db.select().from(buildRuns).orderBy(desc(buildRuns.id)).limit(limit);
}
