/**
 * The TAXII collection's object versions, read from the listing intervals as of one version N:
 * a listing (key, added_version a, removed_version b) is the version "listed" at a and, when
 * b <= N, the version "revoked" at b; the producer's identity is one version at version 1.
 * An object version's date added is the created_at of the version it appeared in; objects are
 * paged in (version, key) order, which is date-added order (versions are made one after another).
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, sqlArray, textArray } from '../database.ts';

export interface ObjectQuery {
  asOf: number;
  /** Keyset: only object versions after this (version, key) position. */
  after?: { version: number; listKey: string };
  addedAfter?: Date;
  identity: boolean;
  indicators: boolean;
  /** Only these listings (and the identity if `identity`); absent: all. */
  listings?: readonly { listKey: string; addedVersion: number }[];
  versions: { all: boolean; first: boolean; last: boolean; at: readonly Date[] };
  limit: number;
}

export interface ObjectVersionRow {
  kind: 'identity' | 'indicator';
  listKey: string;
  ordinal: number;
  /** The version this object version appeared in. */
  version: number;
  revoked: boolean;
  listedAt: Date;
  modified: Date;
  dateAdded: Date;
}

const stamp = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

export async function objectVersions(db: Db, q: ObjectQuery): Promise<ObjectVersionRow[]> {
  const filters: SQL[] = [];
  if (!q.identity) filters.push(sql`kind <> 'identity'`);
  if (!q.indicators) filters.push(sql`kind <> 'indicator'`);
  if (q.listings) {
    const keys = textArray(q.listings.map((l) => l.listKey));
    const versions = sqlArray(
      q.listings.map((l) => l.addedVersion),
      'int',
    );
    filters.push(sql`(kind = 'identity' or (list_key, added_version) in (select * from unnest(${keys}, ${versions})))`);
  }
  const picks: SQL[] = [];
  if (q.versions.all) picks.push(sql`true`);
  if (q.versions.first) picks.push(sql`not revoked`);
  // The last version: the revocation where there is one (nothing follows it), else the listing.
  if (q.versions.last) picks.push(sql`(revoked or removed_version is null or removed_version > ${q.asOf})`);
  for (const moment of q.versions.at) picks.push(sql`modified = ${at(moment)}`);
  filters.push(picks.length ? sql`(${sql.join(picks, sql` or `)})` : sql`false`);
  if (q.addedAfter) filters.push(sql`date_added > ${at(q.addedAfter)}`);
  if (q.after)
    filters.push(
      sql`(v > ${q.after.version} or (v = ${q.after.version} and list_key collate "C" > ${q.after.listKey}))`,
    );

  // Every stamp is cut to the millisecond, the precision STIX and TAXII timestamps are served at,
  // so a client's added_after or match[version] compares with exactly what it was shown. A removal
  // is stamped at least 1 ms after its listing: modified must grow from version to version even if
  // two builds got the same clock reading (and valid_until must be later than valid_from).
  const rows = await queryRows<{
    kind: 'identity' | 'indicator';
    list_key: string;
    ordinal: number | string;
    v: number;
    revoked: boolean;
    listed_at: string;
    modified: string;
    date_added: string;
  }>(
    db,
    sql`with s as (
          select version, date_trunc('milliseconds', created_at) as at from snapshots where version <= ${q.asOf}
        ),
        lv as (
          select 'indicator' as kind, l.list_key, l.added_version, l.removed_version, false as revoked, l.added_version as v
            from listings l where l.added_version <= ${q.asOf}
          union all
          select 'indicator', l.list_key, l.added_version, l.removed_version, true, l.removed_version
            from listings l where l.removed_version <= ${q.asOf}
          union all
          select 'identity', '', version, null::int, false, version from s where version = 1
        ),
        ov as (
          select lv.*, sa.at as listed_at, sv.at as date_added,
                 case when lv.revoked then greatest(sb.at, sa.at + interval '1 millisecond') else sa.at end as modified
            from lv
            join s sa on sa.version = lv.added_version
            left join s sb on sb.version = lv.removed_version
            join s sv on sv.version = lv.v
        )
        select p.kind, p.list_key, p.v, p.revoked,
               ${stamp(sql`p.listed_at`)} as listed_at, ${stamp(sql`p.modified`)} as modified,
               ${stamp(sql`p.date_added`)} as date_added,
               case when p.kind = 'identity' then 0 else
                 (select count(*) from listings l2 where l2.list_key = p.list_key and l2.added_version <= p.added_version)
               end as ordinal
          from (select * from ov where ${sql.join(filters, sql` and `)}
                order by v, list_key collate "C" limit ${q.limit}) p
         order by p.v, p.list_key collate "C"`,
  );
  return rows.map((r) => ({
    kind: r.kind,
    listKey: r.list_key,
    ordinal: Number(r.ordinal),
    version: Number(r.v),
    revoked: r.revoked,
    listedAt: new Date(r.listed_at),
    modified: new Date(r.modified),
    dateAdded: new Date(r.date_added),
  }));
}

/** Every listing up to `version` with its ordinal among its key's listings (1 for the first). */
export async function listingOrdinals(db: Db, version: number) {
  const rows = await queryRows<{ list_key: string; added_version: number; ordinal: number | string }>(
    db,
    sql`select list_key, added_version,
               row_number() over (partition by list_key order by added_version) as ordinal
          from listings where added_version <= ${version}`,
  );
  return rows.map((r) => ({ listKey: r.list_key, addedVersion: Number(r.added_version), ordinal: Number(r.ordinal) }));
}
