/**
 * The analysts' re-check queue, in SQL from the open listings. A report counts while its latest
 * observation does not say offline (as in the evidence aggregate). A listed domain is due when
 * its newest online confirmation (a confirmed assessment of a counted report, or a later online
 * observation of one) is older than the review age, or when an open delisting request names it;
 * those come first, then the oldest. Computed now for the API (~3.5 s at 100,000 listings), or
 * recorded by each build (recheck_queue) and paged from there for the console and its
 * dashboard. Every step is a join on an index: listings_one_open, reports_list_key,
 * observations_report, assessments_report_organisation, exclusions_list_key,
 * delisting_requests_list_key, recheck_queue_confirmed.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Criteria } from '../../core/criteria.ts';
import { type Db, deleteKeyed, queryRows, textArray } from '../database.ts';
import { decidedSince } from './decisions.ts';
import { itemQualifiesSql } from './evidence.ts';
import { latestObservations } from './observations.ts';

/** The smallest bigint: the sort key of a domain with no confirmation at all (oldest of all). */
const NEVER = '-9223372036854775808';

export interface QueueRow {
  listKey: string;
  listedSince: number;
  openDelistingRequests: number;
  lastConfirmedAt: Date | null;
  expiresAt: Date | null;
  /** The sort keys, for the next page's cursor. */
  requested: boolean;
  confirmedMicros: string;
}

/**
 * Counted reports of the open listings: the latest observation of each, if any, is online. For a
 * few keys (a page's) each report's observation is one index probe; for every listing (the whole
 * queue) they are read in one pass, as the evidence aggregate reads them: a probe per report made
 * the build's record of the queue ~2.7x slower at 50,000 reports.
 */
const countedReports = (listKeys?: SQL) => sql`
  select r.id, r.list_key, r.organisation_id, r.url_canonical, lo.observed_at as online_observed_at
  from listings l
  join reports r on r.list_key = l.list_key
  ${
    listKeys
      ? sql`left join lateral (${latestObservations(sql`o.report_id = r.id`)}) lo on true`
      : sql`left join (${latestObservations(sql`true`)}) lo on lo.report_id = r.id`
  }
  where l.removed_version is null and coalesce(lo.online, true)
  ${listKeys ? sql`and l.list_key = any(${listKeys})` : sql``}`;

/** A timestamp column as the queue's second sort key: microseconds (exact), NEVER for none. */
const micros = (column: SQL) => sql`coalesce(floor(extract(epoch from ${column}) * 1000000)::bigint, ${NEVER}::bigint)`;

/**
 * The CTEs ending in `queue`: each open listing with its newest online confirmation, when it
 * would expire, and whether an exclusion is in force. The live page and the build's record read
 * the same rule.
 */
function listingsQueue(criteria: Criteria, listKeys?: SQL): SQL {
  return sql`
    counted as (${countedReports(listKeys)}),
    confirmed as (
      select c.list_key, c.id as report_id, c.online_observed_at, a.organisation_id, og.country,
             a.observed_online_at, ${itemQualifiesSql(criteria)} as item_qualifies
      from counted c
      join assessments a on a.report_id = c.id and a.verdict = 'confirmed'
      join organisations og on og.id = a.organisation_id
    ),
    -- Per organisation: its newest confirmation, and its newest qualifying one (real child, age, severity).
    per_org as (
      select list_key, organisation_id, country,
             greatest(max(observed_online_at), max(online_observed_at)) as confirmed_at,
             max(observed_online_at) filter (where item_qualifies) as qualified_at
      from confirmed group by list_key, organisation_id, country
    ),
    with_country as (
      select *, max(qualified_at) over (partition by list_key, country) as country_at,
             row_number() over (partition by list_key, country order by organisation_id) as country_row
      from per_org
    ),
    -- The domain keeps qualifying until the Nth newest per-organisation (per-country) qualifying
    -- confirmation leaves the window: that is when it would expire. One row per key, so the
    -- join with the listings is one hash join whatever the planner guesses about the counts.
    per_key as (
      select list_key, max(confirmed_at) as confirmed_at,
             (array_agg(qualified_at order by qualified_at desc)
                filter (where qualified_at is not null))[${criteria.minConfirmingOrganisations}::int] as org_at,
             (array_agg(country_at order by country_at desc)
                filter (where country_row = 1 and country_at is not null))[${criteria.minConfirmingCountries}::int] as country_at
      from with_country group by list_key
    ),
    excluded as (
      select distinct on (list_key) list_key, state from exclusions
      ${listKeys ? sql`where list_key = any(${listKeys})` : sql``} order by list_key, id desc
    ),
    queue as (
      select l.list_key, l.added_version, p.confirmed_at, coalesce(x.state = 'excluded', false) as excluded,
             case when p.org_at is null or p.country_at is null then null
                  else least(p.org_at, p.country_at) + make_interval(days => ${criteria.onlineWithinDays}) end as expires_at
      from listings l
      left join per_key p on p.list_key = l.list_key
      left join excluded x on x.list_key = l.list_key
      where l.removed_version is null ${listKeys ? sql`and l.list_key = any(${listKeys})` : sql``}
    )`;
}

/**
 * Open requests (few) by every key they may name: the registrable domain, or (hostname
 * policy) the host or one of its parents below the registrable domain.
 */
const requestedKeys = sql`
    requested as (
      select k.key as list_key, count(distinct d.id) as n
      from delisting_requests d
      cross join lateral (select string_to_array(d.host, '.') as labels) s
      cross join lateral (
        select array_to_string(s.labels[i:], '.') as key from generate_subscripts(s.labels, 1) as i
      ) k
      where d.state = 'open' and (k.key = d.list_key or right(k.key, length(d.list_key) + 1) = '.' || d.list_key)
      group by k.key
    )`;

type Cursor = { requested: boolean; confirmedMicros: string; listKey: string };

/** After the cursor in the queue's order (alias `q`: s1 requested first, s2 oldest first, key bytewise). */
function afterCursor(after: Cursor | undefined): SQL {
  if (!after) return sql`true`;
  return sql`(q.s1 > ${after.requested ? 0 : 1}
             or (q.s1 = ${after.requested ? 0 : 1}
                 and (q.s2 > ${after.confirmedMicros}::bigint
                      or (q.s2 = ${after.confirmedMicros}::bigint and q.list_key collate "C" > ${after.listKey}))))`;
}

interface PageRow {
  total: number | string;
  list_key: string | null;
  added_version: number | string;
  requests: number | string;
  confirmed_at: Date | string | null;
  expires_at: Date | string | null;
  s1: number | string;
  s2_text: string;
}

function toPage(rows: PageRow[]): { total: number; items: QueueRow[] } {
  const total = Number(rows[0]?.total ?? 0);
  const items = rows
    .flatMap((r) => (r.list_key === null ? [] : [{ ...r, list_key: r.list_key }]))
    .map((r) => ({
      listKey: r.list_key,
      listedSince: Number(r.added_version),
      openDelistingRequests: Number(r.requests),
      lastConfirmedAt: r.confirmed_at === null ? null : new Date(r.confirmed_at),
      expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
      requested: Number(r.s1) === 0,
      confirmedMicros: r.s2_text,
    }));
  return { total, items };
}

/** A page of the queue computed now from the evidence (the API's answer: it follows every observation at once). */
export async function reviewQueuePage(
  db: Db,
  input: { criteria: Criteria; reviewBefore: Date; after?: Cursor | undefined; limit: number },
): Promise<{ total: number; items: QueueRow[] }> {
  const rows = await queryRows<PageRow>(
    db,
    sql`
    with ${listingsQueue(input.criteria)}, ${requestedKeys},
    due as (
      select q.*, coalesce(rq.n, 0) as requests, case when rq.n > 0 then 0 else 1 end as s1,
             ${micros(sql`q.confirmed_at`)} as s2, count(*) over () as total
      from queue q left join requested rq on rq.list_key = q.list_key
      where not q.excluded
        and (rq.n > 0 or q.confirmed_at is null or q.confirmed_at < ${input.reviewBefore.toISOString()}::timestamptz)
    )
    -- The total rides along on a one-row join, so a page past the end still says it.
    select t.total, q.* from (select count(*) as total from due) t
    left join lateral (
      select q.list_key, q.added_version, q.requests, q.confirmed_at, q.expires_at,
             q.s1, q.s2, q.s2::text as s2_text
      from due q where ${afterCursor(input.after)}
      order by q.s1, q.s2, q.list_key collate "C"
      limit ${input.limit}
    ) q on true
    order by q.s1, q.s2, q.list_key collate "C"`,
  );
  return toPage(rows);
}

/**
 * The build's part, in its transaction: the queue's evidence for the open listings of `keys` (every
 * open listing when null) that no exclusion keeps off, replacing what was recorded for those keys.
 */
export async function recordRecheckQueue(db: Db, criteria: Criteria, keys: readonly string[] | null): Promise<void> {
  await deleteKeyed(db, 'recheck_queue', keys);
  await db.execute(sql`
    insert into recheck_queue (list_key, listed_since, confirmed_at, expires_at, confirmed_micros)
    with ${listingsQueue(criteria, keys === null ? undefined : textArray(keys))}
    select list_key, added_version, confirmed_at, expires_at, ${micros(sql`confirmed_at`)} from queue where not excluded`);
}

/**
 * A page of the queue as the last build recorded it, with the delisting requests as they are
 * now and the exclusions decided since the build started: both change between builds and
 * decide whether a domain is due. Only the few keys those name (`live`) are read one by one;
 * the rest, and the total, go along the confirmation index, so nothing sorts or scans the
 * queue row by row: the total is the index's count of aged rows, corrected by the live keys.
 */
export async function recordedQueuePage(
  db: Db,
  input: { builtAt: Date; reviewBefore: Date; after?: Cursor | undefined; limit: number },
): Promise<{ total: number; items: QueueRow[] }> {
  const before = sql`${input.reviewBefore.getTime()}::bigint * 1000`;
  const columns = sql`q.list_key, q.listed_since as added_version, q.requests, q.confirmed_at, q.expires_at, q.s1,
                      q.s2, q.s2::text as s2_text`;
  const rows = await queryRows<PageRow>(
    db,
    sql`
    with ${requestedKeys},
    decided as (${decidedSince(input.builtAt)}),
    live as (
      select r.*, coalesce(rq.n, 0) as requests, coalesce(x.state = 'excluded', false) as excluded,
             case when rq.n > 0 then 0 else 1 end as s1, r.confirmed_micros as s2
      from recheck_queue r
      join (select list_key from requested union select list_key from decided) k on k.list_key = r.list_key
      left join requested rq on rq.list_key = r.list_key
      left join decided x on x.list_key = r.list_key
    ),
    live_due as (select * from live where not excluded and (requests > 0 or confirmed_micros < ${before}))
    select t.total, q.* from (
      select (select count(*) from recheck_queue where confirmed_micros < ${before})
             - (select count(*) from live where confirmed_micros < ${before})
             + (select count(*) from live_due) as total
    ) t
    left join lateral (
      select * from (
        (select ${columns} from live_due q where ${afterCursor(input.after)}
         order by q.s1, q.s2, q.list_key collate "C" limit ${input.limit})
        union all
        (select ${columns}
         from (select r.*, 0 as requests, 1 as s1, r.confirmed_micros as s2 from recheck_queue r
               where r.confirmed_micros < ${before} and r.list_key not in (select list_key from live)) q
         where ${afterCursor(input.after)}
         order by q.s2, q.list_key collate "C" limit ${input.limit})
      ) u
      order by u.s1, u.s2, u.list_key collate "C"
      limit ${input.limit}
    ) q on true
    order by q.s1, q.s2, q.list_key collate "C"`,
  );
  return toPage(rows);
}

export interface RecheckReport {
  id: number;
  url: string;
  organisation: { id: number; name: string; country: string };
  lastConfirmedAt: Date;
}

/**
 * Per key, the counted reports with a confirmed assessment: how many, and the first `perKey`
 * of them, stalest confirmation first.
 */
export async function reportsToRecheck(
  db: Db,
  listKeys: readonly string[],
  perKey: number,
): Promise<Map<string, { count: number; reports: RecheckReport[] }>> {
  const byKey = new Map<string, { count: number; reports: RecheckReport[] }>();
  if (listKeys.length === 0) return byKey;
  const rows = await queryRows<{
    list_key: string;
    id: number;
    url_canonical: string;
    organisation_id: number;
    name: string;
    country: string;
    confirmed_at: Date | string;
    reports: number | string;
  }>(
    db,
    sql`
    with counted as (${countedReports(textArray(listKeys))}),
    per_report as (
      select c.list_key, c.id, c.url_canonical, c.organisation_id,
             greatest(max(a.observed_online_at), max(c.online_observed_at)) as confirmed_at
      from counted c join assessments a on a.report_id = c.id and a.verdict = 'confirmed'
      group by c.list_key, c.id, c.url_canonical, c.organisation_id
    )
    select p.list_key, p.id, p.url_canonical, p.organisation_id, og.name, og.country, p.confirmed_at, p.reports
    from (select *, row_number() over (partition by list_key order by confirmed_at, id) as n,
                 count(*) over (partition by list_key) as reports
          from per_report) p
    join organisations og on og.id = p.organisation_id
    where p.n <= ${perKey}
    order by p.list_key, p.n`,
  );
  for (const r of rows) {
    const entry = byKey.get(r.list_key) ?? { count: Number(r.reports), reports: [] };
    entry.reports.push({
      id: Number(r.id),
      url: r.url_canonical,
      organisation: { id: Number(r.organisation_id), name: r.name, country: r.country },
      lastConfirmedAt: new Date(r.confirmed_at),
    });
    byKey.set(r.list_key, entry);
  }
  return byKey;
}
