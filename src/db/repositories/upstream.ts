/**
 * A national instance's record of its upstream: the verified versions (manifest verbatim),
 * their entries as listing ranges, and the follower's state (last sync, last error).
 */
import { desc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../database.ts';
import { upstreamListings, upstreamState, upstreamVersions } from '../schema.ts';
import { applyListingChanges } from './snapshots.ts';

export type UpstreamVersionRow = typeof upstreamVersions.$inferSelect;
export type UpstreamStateRow = typeof upstreamState.$inferSelect;

export async function lastUpstreamVersion(db: Db): Promise<UpstreamVersionRow | undefined> {
  const [row] = await db.select().from(upstreamVersions).orderBy(desc(upstreamVersions.version)).limit(1);
  return row;
}

export async function getUpstreamVersion(db: Db, version: number): Promise<UpstreamVersionRow | undefined> {
  const [row] = await db.select().from(upstreamVersions).where(eq(upstreamVersions.version, version));
  return row;
}

/** The keys of one stored upstream version, sorted bytewise. */
export async function upstreamKeysAt(db: Db, version: number): Promise<string[]> {
  const rows = await queryRows<{ list_key: string }>(
    db,
    sql`select list_key from ${upstreamListings} where added_version <= ${version}
        and (removed_version is null or removed_version > ${version}) order by list_key collate "C"`,
  );
  return rows.map((r) => r.list_key);
}

/** A verified upstream version and the changes of its entries since the last stored one. */
export async function insertUpstreamVersion(
  db: Db,
  row: typeof upstreamVersions.$inferInsert,
  added: readonly string[],
  removed: readonly string[],
): Promise<void> {
  await db.insert(upstreamVersions).values(row);
  await applyListingChanges(db, row.version, added, removed, upstreamListings);
}

export async function getUpstreamState(db: Db): Promise<UpstreamStateRow | undefined> {
  const [row] = await db.select().from(upstreamState).where(eq(upstreamState.id, 1));
  return row;
}

export async function updateUpstreamState(db: Db, values: Partial<Omit<UpstreamStateRow, 'id'>>): Promise<void> {
  await db
    .insert(upstreamState)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: upstreamState.id, set: values });
}
