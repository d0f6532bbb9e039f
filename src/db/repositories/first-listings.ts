/**
 * Each domain's first listing (issue 21 item 4): the time from its first report to the first
 * version that listed it, the figure the confirmation queue is meant to shorten. One row per
 * key, written once, so every distribution counts each listed domain once.
 */
import { sql } from 'drizzle-orm';
import { type Db, intArray, queryRows } from '../database.ts';

/** Records the keys `version` lists for the first time (set-based; keys listed before keep their row). */
export async function recordFirstListings(db: Db, version: number, listedAt: Date): Promise<void> {
  await db.execute(sql`
    insert into first_listings (list_key, version, first_reported_at, listed_at)
    select l.list_key, ${version}, min(r.received_at), ${listedAt.toISOString()}::timestamptz
    from listings l join reports r on r.list_key = l.list_key
    where l.added_version = ${version}
    group by l.list_key
    on conflict (list_key) do nothing`);
}

const DAY = 86_400;
/** Bounds (seconds) from an hour to a year: listing waits for a second country's review, hours to weeks. */
export const TIME_TO_LISTING_BUCKETS = [
  3600,
  6 * 3600,
  12 * 3600,
  DAY,
  2 * DAY,
  3 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  60 * DAY,
  90 * DAY,
  180 * DAY,
  365 * DAY,
] as const;

const seconds = sql`extract(epoch from (listed_at - first_reported_at))`;

/** The distribution over every domain ever listed: how many took at most each bound (seconds), their sum and count. */
export async function timeToListingDistribution(db: Db, bounds: readonly number[]) {
  const [row] = await queryRows<Record<string, number | string | null>>(
    db,
    sql`select count(*) as count, coalesce(sum(${seconds}), 0) as sum,
               ${sql.join(
                 bounds.map((b, i) => sql`count(*) filter (where ${seconds} <= ${b}) as ${sql.raw(`le_${i}`)}`),
                 sql`, `,
               )}
        from first_listings`,
  );
  return {
    count: Number(row?.count ?? 0),
    sum: Number(row?.sum ?? 0),
    buckets: bounds.map((le, i) => ({ le, count: Number(row?.[`le_${i}`] ?? 0) })),
  };
}

export interface VersionTimeToListing {
  firstListed: number;
  medianSeconds: number | null;
  maxSeconds: number | null;
}

/**
 * The domains each version listed for the first time and how long they took: median and
 * longest, in seconds. One statement for any number of versions (a page of build runs).
 */
export async function timeToListingByVersion(
  db: Db,
  versions: readonly number[],
): Promise<Map<number, VersionTimeToListing>> {
  const found = new Map<number, VersionTimeToListing>(
    versions.map((v) => [v, { firstListed: 0, medianSeconds: null, maxSeconds: null }]),
  );
  if (versions.length === 0) return found;
  const rows = await queryRows<{
    version: number | string;
    count: number | string;
    median: number | string | null;
    max: number | string | null;
  }>(
    db,
    sql`select version, count(*) as count, percentile_cont(0.5) within group (order by ${seconds}) as median,
               max(${seconds}) as max
        from first_listings where version = any(${intArray(versions)}) group by version`,
  );
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  for (const r of rows)
    found.set(Number(r.version), {
      firstListed: Number(r.count),
      medianSeconds: num(r.median),
      maxSeconds: num(r.max),
    });
  return found;
}

export async function versionTimeToListing(db: Db, version: number): Promise<VersionTimeToListing> {
  return (await timeToListingByVersion(db, [version])).get(version)!;
}
