/**
 * Snapshots, their listings (ranges of versions per key) and their artifacts. The entries
 * of version N are the listings with added_version <= N and (removed_version null or > N).
 */
import { and, asc, desc, eq, gt, gte, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Format } from '../../core/formats.ts';
import { type Db, queryRows, textArray } from '../database.ts';
import { artifacts, listings, snapshots, timestamps, type upstreamListings } from '../schema.ts';

export type SnapshotRow = typeof snapshots.$inferSelect;
export type ArtifactRow = typeof artifacts.$inferSelect;

export async function latestSnapshot(db: Db): Promise<SnapshotRow | undefined> {
  const [row] = await db.select().from(snapshots).orderBy(desc(snapshots.version)).limit(1);
  return row;
}

export async function getSnapshot(db: Db, version: number): Promise<SnapshotRow | undefined> {
  const [row] = await db.select().from(snapshots).where(eq(snapshots.version, version));
  return row;
}

/** Most versions one chart window reads (a build every minute for a day; windows longer than that see fewer). */
const WINDOW_MAX_VERSIONS = 2000;

/**
 * The versions made since `since`, oldest first (at most WINDOW_MAX_VERSIONS, the newest), and
 * the last one before, whose entry count the window starts from.
 */
export async function versionsSince(db: Db, since: Date) {
  const columns = {
    version: snapshots.version,
    createdAt: snapshots.createdAt,
    entryCount: snapshots.entryCount,
    addedCount: snapshots.addedCount,
    removedCount: snapshots.removedCount,
  };
  const [inside, before] = await Promise.all([
    db
      .select(columns)
      .from(snapshots)
      .where(gte(snapshots.createdAt, since))
      .orderBy(desc(snapshots.version))
      .limit(WINDOW_MAX_VERSIONS),
    db.select(columns).from(snapshots).where(lt(snapshots.createdAt, since)).orderBy(desc(snapshots.version)).limit(1),
  ]);
  return { versions: inside.reverse(), before: before[0] };
}

export async function recentSnapshots(db: Db, limit: number, before?: number) {
  return db
    .select({
      version: snapshots.version,
      createdAt: snapshots.createdAt,
      entryCount: snapshots.entryCount,
      addedCount: snapshots.addedCount,
      removedCount: snapshots.removedCount,
      criteriaVersion: snapshots.criteriaVersion,
      manifestSha256: snapshots.manifestSha256,
      signingKid: snapshots.signingKid,
      expiresAt: snapshots.expiresAt,
    })
    .from(snapshots)
    .where(before === undefined ? undefined : sql`${snapshots.version} < ${before}`)
    .orderBy(desc(snapshots.version))
    .limit(limit);
}

/** The keys listed now, with the version each has been listed since. */
export async function openListings(db: Db): Promise<{ listKey: string; addedVersion: number }[]> {
  return db
    .select({ listKey: listings.listKey, addedVersion: listings.addedVersion })
    .from(listings)
    .where(isNull(listings.removedVersion));
}

/** The open listings among `keys`: one probe each. */
export async function openListingsAmong(db: Db, keys: readonly string[]) {
  return db
    .select({ listKey: listings.listKey, addedVersion: listings.addedVersion })
    .from(listings)
    .where(and(isNull(listings.removedVersion), sql`${listings.listKey} = any(${textArray(keys)})`));
}

/** Keys added and removed between two versions (from < to). */
export async function changesBetween(db: Db, from: number, to: number) {
  const [added, removed] = await Promise.all([
    queryRows<{ list_key: string }>(
      db,
      sql`select list_key from ${listings} where added_version > ${from} and added_version <= ${to}
          and (removed_version is null or removed_version > ${to})
          and list_key not in (select list_key from ${listings} where added_version <= ${from} and (removed_version is null or removed_version > ${from}))
          order by list_key collate "C"`,
    ),
    queryRows<{ list_key: string }>(
      db,
      sql`select list_key from ${listings} where added_version <= ${from} and (removed_version is null or removed_version > ${from})
          and list_key not in (select list_key from ${listings} where added_version <= ${to} and (removed_version is null or removed_version > ${to}))
          order by list_key collate "C"`,
    ),
  ]);
  return { added: added.map((r) => r.list_key), removed: removed.map((r) => r.list_key) };
}

/**
 * Closes the open listings of `keys` at `version` and opens listings for `added`: one statement
 * each. `table`: ours, or a national instance's record of its upstream's (same columns).
 */
export async function applyListingChanges(
  db: Db,
  version: number,
  added: readonly string[],
  removed: readonly string[],
  table: typeof listings | typeof upstreamListings = listings,
) {
  if (removed.length > 0)
    await db.execute(
      sql`update ${table} set removed_version = ${version} where removed_version is null and list_key = any(${textArray(removed)})`,
    );
  if (added.length > 0)
    await db.execute(
      sql`insert into ${table} (list_key, added_version) select unnest(${textArray(added)}), ${version}`,
    );
}

/**
 * Refreshes the planner's statistics of the listings inside the build's transaction. After a
 * first build (70k listings where there were none) the planner still took the table for empty
 * and probed reports and assessments per row: the re-check queue's record took 8.7 s at 1M
 * reports instead of 4.3 s, the first listings' 2.6 s.
 */
export async function analyzeListings(db: Db) {
  await db.execute(sql`analyze ${listings}`);
}

export async function insertSnapshot(db: Db, row: typeof snapshots.$inferInsert) {
  await db.insert(snapshots).values(row);
}

export async function insertArtifacts(db: Db, rows: (typeof artifacts.$inferInsert)[]) {
  await db.insert(artifacts).values(rows);
}

export async function getArtifact(db: Db, version: number, format: Format): Promise<ArtifactRow | undefined> {
  const [row] = await db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.version, version), eq(artifacts.format, format)));
  return row;
}

/** Drops artifacts of versions older than the newest `keep`; manifests and listings stay. */
export async function pruneArtifacts(db: Db, newest: number, keep: number) {
  await db.delete(artifacts).where(lte(artifacts.version, newest - keep));
}

export async function upsertTimestamp(db: Db, row: Omit<typeof timestamps.$inferInsert, 'id'>) {
  await db
    .insert(timestamps)
    .values({ id: 1, ...row })
    .onConflictDoUpdate({ target: timestamps.id, set: row });
}

export async function currentTimestamp(db: Db) {
  const [row] = await db.select().from(timestamps).where(eq(timestamps.id, 1));
  return row;
}

/** Versions in which one key was listed: each range it was on the list. */
export async function listingHistory(db: Db, listKey: string) {
  return db
    .select({ addedVersion: listings.addedVersion, removedVersion: listings.removedVersion })
    .from(listings)
    .where(eq(listings.listKey, listKey))
    .orderBy(asc(listings.addedVersion));
}

/** The keys of one version, sorted bytewise, paged. */
export async function entriesAt(db: Db, version: number, after: string | undefined, limit: number) {
  return db
    .select({ listKey: listings.listKey, addedVersion: listings.addedVersion })
    .from(listings)
    .where(
      and(
        lte(listings.addedVersion, version),
        or(isNull(listings.removedVersion), gt(listings.removedVersion, version)),
        after === undefined ? undefined : sql`${listings.listKey} collate "C" > ${after}`,
      ),
    )
    .orderBy(sql`${listings.listKey} collate "C"`)
    .limit(limit);
}

/**
 * The keys one version added (or removed), paged bytewise. A key is never both added and
 * removed by one build, so these are exactly changesBetween(version - 1, version), read from
 * the indexes on added_version and removed_version instead of comparing two whole versions.
 */
export async function versionChanges(
  db: Db,
  version: number,
  change: 'added' | 'removed',
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  const column = change === 'added' ? listings.addedVersion : listings.removedVersion;
  const rows = await db
    .select({ listKey: listings.listKey })
    .from(listings)
    .where(and(eq(column, version), after === undefined ? undefined : sql`${listings.listKey} collate "C" > ${after}`))
    .orderBy(sql`${listings.listKey} collate "C"`)
    .limit(limit);
  return rows.map((r) => r.listKey);
}
