/**
 * Evidence per list key, aggregated in one set-based query. Only confirmed assessments of
 * reports whose latest observation does not say "offline" count. An assessment qualifies
 * when it meets every per-item criterion on its own; confirming organisations and
 * countries are counted among qualifying assessments, so two half-matches never add up.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Criteria, Evidence } from '../../core/criteria.ts';
import { ageRank, windowMs } from '../../core/criteria.ts';
import { type KeySummary, summarise } from '../../core/key-summary.ts';
import { apparentAges } from '../../core/vocabulary.ts';
import { type Db, queryRows } from '../database.ts';
import { latestObservations } from './observations.ts';

const ageRankSql = sql.raw(
  `case a.apparent_age ${apparentAges.map((age) => `when '${age}' then ${ageRank(age)}`).join(' ')} else 99 end`,
);

/** An aggregate row; key_evidence stores the same columns under the same names. */
export interface EvidenceRow {
  list_key: string;
  reports: number | string;
  offline_reports: number | string;
  confirmed: number | string;
  qualifying_organisations: number | string;
  qualifying_countries: number | string;
  any_real_child: boolean | null;
  youngest_rank: number | string | null;
  highest_severity: number | string | null;
  latest_online_at: Date | string | null;
  earliest_counting_at: Date | string | null;
  excluded: boolean;
}

/**
 * Whether a confirmed assessment (alias `a`) meets the per-item criteria other than time: real
 * child, apparent age, severity. Shared with the re-check queue, so the rule is written once.
 */
export function itemQualifiesSql(criteria: Criteria): SQL {
  return sql`(${criteria.requireRealChild ? sql`a.real_child` : sql`true`}
              and ${ageRankSql} <= ${ageRank(criteria.maxApparentAge)}
              and a.severity >= ${criteria.minSeverity})`;
}

/**
 * Whether a confirmed assessment (alias `a`) of a report that still counts (not observed
 * offline) counts toward the criteria: it qualifies on its own and was seen online within
 * the criteria's window. The aggregate counts organisations and countries among these; the
 * domain page marks each assessment with the same expression.
 */
export function assessmentCountsSql(criteria: Criteria, now: Date): SQL {
  const since = new Date(now.getTime() - windowMs(criteria)).toISOString();
  return sql`(${itemQualifiesSql(criteria)} and a.observed_online_at >= ${since}::timestamptz)`;
}

export interface EvidenceOptions {
  /** Count reports observed offline as if online (what the evidence would be without the observations). */
  countOffline?: boolean;
  /**
   * Aggregate per exact canonical URL instead of per list key (what intake says about the URL
   * itself): `listKeys` then names URLs, and `listKey` in the answer is the URL.
   */
  byUrl?: boolean;
}

/**
 * The aggregate: every list key with a report (or only `listKeys`), with its evidence. Given
 * keys, it reads only their reports, the observations and exclusions of those, each by index
 * (intake asks per batch: its cost follows the batch, not the tables).
 */
export function evidenceQuery(criteria: Criteria, now: Date, listKeys?: SQL, options: EvidenceOptions = {}): SQL {
  const key = options.byUrl ? sql`r.url_canonical` : sql`r.list_key`;
  // A URL has a few reports, a key many: URLs are probed one at a time (offset 0 keeps the
  // planner from turning a long list of them into a scan of reports), keys in one index scan.
  const selected = !listKeys
    ? sql`select r.id, ${key} as list_key from reports r`
    : options.byUrl
      ? sql`select r.id, r.list_key from unnest(${listKeys}) w(k)
            cross join lateral (select r.id, ${key} as list_key from reports r where ${key} = w.k offset 0) r`
      : sql`select r.id, ${key} as list_key from reports r where ${key} = any(${listKeys})`;
  const observed = listKeys ? sql`o.report_id in (select id from selected)` : sql`true`;
  const excludedKeys = listKeys ? sql`where list_key = any(${listKeys})` : sql``;
  const online = options.countOffline ? sql`true` : sql`coalesce(lo.online, true)`;
  return sql`
    with selected as (${selected}),
    latest_observation as (${latestObservations(observed)}),
    counted as (
      select r.id, r.list_key, ${online} as online
      from selected r left join latest_observation lo on lo.report_id = r.id
    ),
    per_key as (
      select list_key, count(*) as reports, count(*) filter (where not online) as offline_reports
      from counted group by list_key
    ),
    confirmed as (
      select c.list_key, a.organisation_id, o.country, a.real_child, a.severity, a.observed_online_at,
             ${ageRankSql} as age_rank, ${assessmentCountsSql(criteria, now)} as qualifies
      from counted c
      join assessments a on a.report_id = c.id and a.verdict = 'confirmed'
      join organisations o on o.id = a.organisation_id
      where c.online
    ),
    per_key_confirmed as (
      select list_key,
             count(*) as confirmed,
             count(distinct organisation_id) filter (where qualifies) as qualifying_organisations,
             count(distinct country) filter (where qualifies) as qualifying_countries,
             bool_or(real_child) as any_real_child,
             min(age_rank) as youngest_rank,
             max(severity) as highest_severity,
             max(observed_online_at) as latest_online_at,
             min(observed_online_at) filter (where qualifies) as earliest_counting_at
      from confirmed group by list_key
    ),
    exclusion as (
      select distinct on (list_key) list_key, state = 'excluded' as excluded
      from exclusions ${excludedKeys} order by list_key, id desc
    )
    select k.list_key, k.reports, k.offline_reports,
           coalesce(c.confirmed, 0) as confirmed,
           coalesce(c.qualifying_organisations, 0) as qualifying_organisations,
           coalesce(c.qualifying_countries, 0) as qualifying_countries,
           coalesce(c.any_real_child, false) as any_real_child,
           c.youngest_rank, c.highest_severity, c.latest_online_at, c.earliest_counting_at,
           coalesce(x.excluded, false) as excluded
    from per_key k
    left join per_key_confirmed c on c.list_key = k.list_key
    left join exclusion x on x.list_key = k.list_key`;
}

const num = (v: number | string | null) => (v === null ? null : Number(v));
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

export function toEvidence(row: Omit<EvidenceRow, 'earliest_counting_at'>): Evidence {
  const rank = num(row.youngest_rank);
  return {
    listKey: row.list_key,
    reports: Number(row.reports),
    offlineReports: Number(row.offline_reports),
    confirmedAssessments: Number(row.confirmed),
    qualifyingOrganisations: Number(row.qualifying_organisations),
    qualifyingCountries: Number(row.qualifying_countries),
    anyRealChild: Boolean(row.any_real_child),
    youngestApparentAge: rank === null ? null : (apparentAges.find((age) => ageRank(age) === rank) ?? 'unknown'),
    highestSeverity: num(row.highest_severity),
    latestOnlineAt: date(row.latest_online_at),
    excluded: row.excluded,
  };
}

export async function aggregateEvidence(
  db: Db,
  criteria: Criteria,
  now: Date,
  listKeys?: SQL,
  options: EvidenceOptions = {},
): Promise<Evidence[]> {
  return (await queryRows<EvidenceRow>(db, evidenceQuery(criteria, now, listKeys, options))).map(toEvidence);
}

/**
 * The aggregate as the build keeps it per key (key-summary.ts): each key's evidence with the
 * moment it next changes by time alone.
 */
export async function aggregateSummaries(db: Db, criteria: Criteria, now: Date, listKeys?: SQL): Promise<KeySummary[]> {
  return (await queryRows<EvidenceRow>(db, evidenceQuery(criteria, now, listKeys))).map((row) =>
    summarise(toEvidence(row), date(row.earliest_counting_at), criteria, now),
  );
}
