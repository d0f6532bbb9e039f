/** Criteria sets: versioned definitions; exactly one is active. */
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { criteriaSets } from '../schema.ts';

export type CriteriaRow = typeof criteriaSets.$inferSelect;

export async function activeCriteriaRow(db: Db): Promise<CriteriaRow | undefined> {
  const [row] = await db.select().from(criteriaSets).where(eq(criteriaSets.active, true));
  return row;
}

export async function listCriteriaRows(db: Db): Promise<CriteriaRow[]> {
  return db.select().from(criteriaSets).orderBy(desc(criteriaSets.version));
}

/**
 * The default set as version 1 unless a set is active; two first uses at once both find none, and
 * the one-active index makes the later wait for the earlier and then read its row.
 */
export async function ensureActiveCriteria(db: Db, definition: unknown): Promise<CriteriaRow> {
  const [row] = await db
    .insert(criteriaSets)
    .values({ definition, createdBy: null, active: true })
    .onConflictDoNothing({ target: criteriaSets.active, where: sql`${criteriaSets.active}` })
    .returning();
  return row ?? (await activeCriteriaRow(db))!;
}

/** Any constant works; every writer of criteria on one database must agree on it (build.ts has 0x776f6c). */
const CRITERIA_LOCK = 0x776f6e;

/**
 * Makes `definition` the active set, as a new version; in a transaction. Replacements wait for
 * each other: without the lock, a second one's update misses the first one's new active row,
 * still uncommitted when it began, and its insert breaks the one-active index.
 */
export async function insertActiveCriteria(
  db: Db,
  definition: unknown,
  createdBy: number | null,
): Promise<CriteriaRow> {
  await db.execute(sql`select pg_advisory_xact_lock(${CRITERIA_LOCK})`);
  await db.update(criteriaSets).set({ active: false }).where(eq(criteriaSets.active, true));
  const [row] = await db.insert(criteriaSets).values({ definition, createdBy, active: true }).returning();
  return row!;
}
