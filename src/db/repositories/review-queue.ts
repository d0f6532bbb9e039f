/**
 * The analysts' re-check queue, computed in SQL from the open listings. A report counts while
 * its latest observation does not say offline (as in the evidence aggregate). A listed domain
 * is due when its newest online confirmation (a confirmed assessment of a counted report, or a
 * later online observation of one) is older than the review age, or when an open delisting
 * request names it; those come first, then the oldest. Every step is a join on an index:
 * listings_one_open, reports_list_key, observations_report, assessments_report_organisation,
 * exclusions_list_key, delisting_requests_list_key.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Criteria } from '../../core/criteria.ts';
import { type Db, queryRows, textArray } from '../database.ts';
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

/** Counted reports of the open listings: the latest observation of each, if any, is online. */
const countedReports = (listKeys?: SQL) => sql`
  select r.id, r.list_key, r.organisation_id, r.url_canonical, lo.observed_at as online_observed_at
  from listings l
  join reports r on r.list_key = l.list_key
  left join lateral (${latestObservations(sql`o.report_id = r.id`)}) lo on true
  where l.removed_version is null and coalesce(lo.online, true)
  ${listKeys ? sql`and l.list_key = any(${listKeys})` : sql``}`;

export async function reviewQueuePage(
  db: Db,
  input: {
    criteria: Criteria;
    reviewBefore: Date;
    after?: { requested: boolean; confirmedMicros: string; listKey: string } | undefined;
    limit: number;
  },
): Promise<{ total: number; items: QueueRow[] }> {
  const { criteria } = input;
  const after = input.after
    ? sql`where (q.s1 > ${input.after.requested ? 0 : 1}
             or (q.s1 = ${input.after.requested ? 0 : 1}
                 and (q.s2 > ${input.after.confirmedMicros}::bigint
                      or (q.s2 = ${input.after.confirmedMicros}::bigint and q.list_key collate "C" > ${input.after.listKey}))))`
    : sql``;
  const rows = await queryRows<{
    total: number | string;
    list_key: string | null;
    added_version: number | string;
    requests: number | string;
    confirmed_at: Date | string | null;
    expires_at: Date | string | null;
    s1: number | string;
    s2_text: string;
  }>(
    db,
    sql`
    with counted as (${countedReports()}),
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
    -- Open requests (few) by every key they may name: the registrable domain, or (hostname
    -- policy) the host or one of its parents below the registrable domain.
    requested as (
      select k.key as list_key, count(distinct d.id) as n
      from delisting_requests d
      cross join lateral (select string_to_array(d.host, '.') as labels) s
      cross join lateral (
        select array_to_string(s.labels[i:], '.') as key from generate_subscripts(s.labels, 1) as i
      ) k
      where d.state = 'open' and (k.key = d.list_key or right(k.key, length(d.list_key) + 1) = '.' || d.list_key)
      group by k.key
    ),
    excluded as (
      select distinct on (list_key) list_key, state from exclusions order by list_key, id desc
    ),
    queue as (
      select l.list_key, l.added_version, p.confirmed_at, coalesce(rq.n, 0) as requests,
             case when p.org_at is null or p.country_at is null then null
                  else least(p.org_at, p.country_at) + make_interval(days => ${criteria.onlineWithinDays}) end as expires_at
      from listings l
      left join per_key p on p.list_key = l.list_key
      left join requested rq on rq.list_key = l.list_key
      left join excluded x on x.list_key = l.list_key
      where l.removed_version is null and x.state is distinct from 'excluded'
    ),
    due as (
      select *, case when requests > 0 then 0 else 1 end as s1,
             coalesce(floor(extract(epoch from confirmed_at) * 1000000)::bigint, ${NEVER}::bigint) as s2,
             count(*) over () as total
      from queue
      where requests > 0 or confirmed_at is null or confirmed_at < ${input.reviewBefore.toISOString()}::timestamptz
    )
    -- The total rides along on a one-row join, so a page past the end still says it.
    select t.total, q.* from (select count(*) as total from due) t
    left join lateral (
      select q.list_key, q.added_version, q.requests, q.confirmed_at, q.expires_at,
             q.s1, q.s2, q.s2::text as s2_text
      from due q ${after}
      order by q.s1, q.s2, q.list_key collate "C"
      limit ${input.limit}
    ) q on true
    order by q.s1, q.s2, q.list_key collate "C"`,
  );
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
