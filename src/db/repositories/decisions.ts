/** Analyst decisions: exclusions (history kept, newest in force) and delisting requests. */
import { and, asc, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../database.ts';
import { delistingRequests, exclusions } from '../schema.ts';

export type DelistingRow = typeof delistingRequests.$inferSelect;

export async function exclusionInForce(db: Db, listKey: string) {
  const [row] = await db
    .select()
    .from(exclusions)
    .where(eq(exclusions.listKey, listKey))
    .orderBy(desc(exclusions.id))
    .limit(1);
  return row?.state === 'excluded' ? row : undefined;
}

export async function insertExclusion(db: Db, values: typeof exclusions.$inferInsert) {
  const [row] = await db.insert(exclusions).values(values).returning();
  return row!;
}

export async function exclusionHistory(db: Db, listKey: string) {
  return db.select().from(exclusions).where(eq(exclusions.listKey, listKey)).orderBy(desc(exclusions.id));
}

/** Inserts a delisting request unless the same one (dedupe key) exists; returns the stored one. */
export async function insertDelistingRequest(
  db: Db,
  values: typeof delistingRequests.$inferInsert,
): Promise<DelistingRow> {
  const [inserted] = await db.insert(delistingRequests).values(values).onConflictDoNothing().returning();
  if (inserted) return inserted;
  const [existing] = await db.select().from(delistingRequests).where(eq(delistingRequests.dedupeKey, values.dedupeKey));
  return existing!;
}

export async function getDelistingRequest(db: Db, id: string): Promise<DelistingRow | undefined> {
  const [row] = await db.select().from(delistingRequests).where(eq(delistingRequests.id, id));
  return row;
}

export async function decideDelistingRequest(db: Db, id: string, values: Partial<DelistingRow>) {
  const [row] = await db
    .update(delistingRequests)
    .set(values)
    .where(and(eq(delistingRequests.id, id), eq(delistingRequests.state, 'open')))
    .returning();
  return row;
}

export async function listDelistingRequests(
  db: Db,
  filter: { state?: DelistingRow['state'] | undefined; listKey?: string; before?: Date | undefined; limit: number },
) {
  const conditions: SQL[] = [];
  if (filter.state) conditions.push(eq(delistingRequests.state, filter.state));
  if (filter.listKey) conditions.push(eq(delistingRequests.listKey, filter.listKey));
  if (filter.before) conditions.push(lt(delistingRequests.createdAt, filter.before));
  return db
    .select()
    .from(delistingRequests)
    .where(and(...conditions))
    .orderBy(filter.state === 'open' ? asc(delistingRequests.createdAt) : desc(delistingRequests.createdAt))
    .limit(filter.limit);
}

/** How many requests are in each state (along delisting_requests_state), for the page's tabs. */
export async function countDelistingRequests(db: Db): Promise<Map<DelistingRow['state'], number>> {
  const rows = await queryRows<{ state: DelistingRow['state']; n: number | string }>(
    db,
    sql`select state, count(*) as n from ${delistingRequests} group by state`,
  );
  return new Map(rows.map((r) => [r.state, Number(r.n)]));
}

export async function countOpenDelistingRequests(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from ${delistingRequests} where state = 'open'`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Keys whose newest exclusion decision came after `since` (a build's start; all of them when
 * null), each with that decision: what the next build takes up. Strictly after, since a build
 * reads the decisions of its own instant (the test clock stands still).
 */
export const decidedSince = (since: Date | null) => sql`
  select distinct on (list_key) id, list_key, state, reason, decided_by, decided_at from ${exclusions}
  ${since ? sql`where decided_at > ${since.toISOString()}::timestamptz` : sql``}
  order by list_key, id desc`;

/** How many keys an exclusion or restore decided since `since` waits on (few: along exclusions_decided). */
export async function countDecidedSince(db: Db, since: Date | null): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from (${decidedSince(since)}) d`);
  return Number(row?.n ?? 0);
}

/** The first `limit` of those decisions, newest first, each saying whether its key is listed now. */
export async function decidedSinceList(db: Db, since: Date | null, limit: number) {
  const rows = await queryRows<{
    list_key: string;
    state: (typeof exclusions.$inferSelect)['state'];
    reason: string;
    decided_by: number | null;
    decided_at: Date | string;
    listed: boolean;
  }>(
    db,
    sql`select d.list_key, d.state, d.reason, d.decided_by, d.decided_at,
               exists (select 1 from listings l where l.list_key = d.list_key and l.removed_version is null) as listed
        from (${decidedSince(since)}) d order by d.decided_at desc, d.id desc limit ${limit}`,
  );
  return rows.map((r) => ({
    listKey: r.list_key,
    state: r.state,
    reason: r.reason,
    decidedBy: r.decided_by,
    decidedAt: new Date(r.decided_at),
    listed: r.listed,
  }));
}
