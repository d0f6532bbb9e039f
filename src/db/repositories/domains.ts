/**
 * Domain browsing for analysts: keys by state (src/core/domain-state.ts), paged by key
 * (bytewise, either way), prefix search, and how many keys a search matches; and the evidence
 * behind one key, assessment by assessment. Pages in other orders are domain-figures.ts's.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Criteria } from '../../core/criteria.ts';
import type { DomainFilter, DomainState } from '../../core/domain-state.ts';
import type { ApparentAge, Verdict } from '../../core/vocabulary.ts';
import { type Db, queryRows, textArray } from '../database.ts';
import { assessmentCountsSql } from './evidence.ts';

/** A confirmed assessment of the key (reports alias `r`), as the candidate state means it. */
const confirmedOn = (key: SQL) =>
  sql`exists (select 1 from reports r2 join assessments a on a.report_id = r2.id and a.verdict = 'confirmed'
              where r2.list_key = ${key})`;

const excludedKeys = sql`(select distinct on (list_key) list_key, state from exclusions order by list_key, id desc)`;

/** The state of key `key` whose open listing (if any) is `l` and newest exclusion `x`, as domainState() orders the facts. */
export const stateSql = (key: SQL) =>
  sql`case when l.added_version is not null then 'listed' when x.state = 'excluded' then 'excluded'
           when ${confirmedOn(key)} then 'candidate' else 'reported' end`;

/** The candidate keys (alias `r` for reports in `where`): confirmed, neither listed nor excluded. */
export const candidateKeys = (where: SQL) =>
  sql`select distinct r.list_key from reports r
      where exists (select 1 from assessments a where a.report_id = r.id and a.verdict = 'confirmed')
        and not exists (select 1 from listings l where l.list_key = r.list_key and l.removed_version is null)
        and not exists (select 1 from ${excludedKeys} x where x.list_key = r.list_key and x.state = 'excluded')
        and ${where}`;

export interface DomainSearch {
  state?: DomainFilter | undefined;
  q?: string | undefined;
}

/** Keys starting with `q`: a LIKE pattern with its wildcards escaped. */
export const prefixSql = (column: SQL, q: string | undefined) =>
  q ? sql`${column} like ${`${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : sql`true`;

export async function browseDomains(
  db: Db,
  filter: DomainSearch & { after?: string | undefined; descending?: boolean; limit: number },
): Promise<{ listKey: string; state: DomainState; listedSince: number | null }[]> {
  const beyond = filter.descending ? sql`<` : sql`>`;
  const where = (column: SQL) =>
    sql.join(
      [
        prefixSql(column, filter.q),
        filter.after !== undefined ? sql`${column} collate "C" ${beyond} ${filter.after}` : sql`true`,
      ],
      sql` and `,
    );
  const direction = filter.descending ? sql`desc` : sql`asc`;
  const page = sql`order by list_key collate "C" ${direction} limit ${filter.limit}`;
  let query: SQL;
  if (filter.state === 'listed')
    query = sql`select list_key, 'listed' as state, added_version as listed_since from listings
                where removed_version is null and ${where(sql`list_key`)} ${page}`;
  else if (filter.state === 'excluded')
    query = sql`select list_key, 'excluded' as state, null::int as listed_since from ${excludedKeys} x
                where x.state = 'excluded' and ${where(sql`x.list_key`)} ${page}`;
  else if (filter.state === 'candidate')
    query = sql`select list_key, 'candidate' as state, null::int as listed_since
                from (${candidateKeys(where(sql`r.list_key`))}) c ${page}`;
  else return anyState(db, where(sql`r.list_key`), direction, filter.limit);
  const rows = await queryRows<Row>(db, query);
  return rows.map(toSummary);
}

/**
 * How many keys a search matches, for the page's "1–50 of N": index reads over the listings,
 * exclusions or reports' keys (measured at 100,000 listed in test/console-perf.test.ts).
 */
export async function countDomains(db: Db, search: DomainSearch): Promise<number> {
  const prefix = (column: SQL) => prefixSql(column, search.q);
  const query =
    search.state === 'listed'
      ? sql`select count(*) as n from listings where removed_version is null and ${prefix(sql`list_key`)}`
      : search.state === 'excluded'
        ? sql`select count(*) as n from ${excludedKeys} x where x.state = 'excluded' and ${prefix(sql`x.list_key`)}`
        : search.state === 'candidate'
          ? sql`select count(*) as n from (${candidateKeys(prefix(sql`r.list_key`))}) c`
          : // Not count(distinct), which sorts every key: a grouping streams along the reports' key index.
            sql`select count(*) as n from (select r.list_key from reports r where ${prefix(sql`r.list_key`)}
                                           group by r.list_key) k`;
  const [row] = await queryRows<{ n: number | string }>(db, query);
  return Number(row?.n ?? 0);
}

interface Row {
  list_key: string;
  state: DomainState;
  listed_since: number | null;
  window_rows?: number | string;
}

const toSummary = (r: Row) => ({
  listKey: r.list_key,
  state: r.state,
  listedSince: r.listed_since === null ? null : Number(r.listed_since),
});

/**
 * Every reported key, whatever its state. Keys repeat across reports, and DISTINCT over all
 * of them hashes the whole table for one page; a page's keys are instead found among the
 * first rows in key order (a cheap top-N sort), the window widened until it holds a full
 * page or every matching row.
 */
async function anyState(db: Db, where: SQL, direction: SQL, limit: number) {
  for (let window = limit * 4; ; window *= 16) {
    const rows = await queryRows<Row>(
      db,
      sql`with w as (select r.list_key from reports r where ${where} order by r.list_key collate "C" ${direction} limit ${window})
          select k.list_key, (select count(*) from w) as window_rows, ${stateSql(sql`k.list_key`)} as state,
                 l.added_version as listed_since
          from (select list_key from (select distinct list_key from w) d
                order by list_key collate "C" ${direction} limit ${limit}) k
          left join listings l on l.list_key = k.list_key and l.removed_version is null
          left join ${excludedKeys} x on x.list_key = k.list_key
          order by k.list_key collate "C" ${direction}`,
    );
    // A short page is the end unless the window was full: then more keys may lie beyond it.
    if (rows.length === limit || rows.length === 0 || Number(rows[0]!.window_rows) < window) return rows.map(toSummary);
  }
}

/** Assessments shown on a domain page, newest first. */
const ASSESSMENTS_SHOWN = 100;

/**
 * Who assessed, from where, on which hosts, and the latest observation: the detail behind the
 * aggregate. Each assessment and organisation says what counts toward the criteria, with the
 * aggregate's own expression (assessmentCountsSql), so the page and the criteria agree.
 */
export async function evidenceDetail(db: Db, criteria: Criteria, now: Date, listKey: string) {
  const keys = textArray([listKey]);
  const counts = assessmentCountsSql(criteria, now);
  const assessed = sql`
    select a.*, r.host, o.name, o.country, coalesce(lo.online, true) as report_online
    from reports r join assessments a on a.report_id = r.id
    join organisations o on o.id = a.organisation_id
    left join lateral (select online from observations ob where ob.report_id = r.id
                       order by ob.observed_at desc, ob.id desc limit 1) lo on true
    where r.list_key = any(${keys})`;
  const [organisations, assessments, hosts, observation] = await Promise.all([
    queryRows<{
      id: number;
      name: string;
      country: string;
      assessments: number | string;
      counting: number | string;
      latest: Date | string;
    }>(
      db,
      sql`select x.organisation_id as id, x.name, x.country, count(*) as assessments,
                 count(*) filter (where x.counts) as counting, max(x.observed_online_at) as latest
          from (select a.organisation_id, a.name, a.country, a.observed_online_at,
                       (a.report_online and ${counts}) as counts
                from (${assessed}) a where a.verdict = 'confirmed') x
          group by x.organisation_id, x.name, x.country order by x.name`,
    ),
    queryRows<{
      id: number;
      host: string;
      name: string;
      country: string;
      verdict: Verdict;
      real_child: boolean;
      apparent_age: ApparentAge;
      severity: number;
      observed_online_at: Date | string;
      report_online: boolean;
      counts: boolean;
    }>(
      db,
      sql`select a.id, a.host, a.name, a.country, a.verdict, a.real_child, a.apparent_age, a.severity,
                 a.observed_online_at, a.report_online,
                 (a.verdict = 'confirmed' and a.report_online and ${counts}) as counts
          from (${assessed}) a order by a.observed_online_at desc, a.id desc limit ${ASSESSMENTS_SHOWN}`,
    ),
    queryRows<{ host: string; reports: number | string }>(
      db,
      sql`select host, count(*) as reports from reports where list_key = any(${keys}) group by host order by 2 desc, 1 limit 100`,
    ),
    queryRows<{ observed_at: Date | string; online: boolean; note: string | null }>(
      db,
      sql`select o.observed_at, o.online, o.note from observations o join reports r on r.id = o.report_id
          where r.list_key = any(${keys}) order by o.observed_at desc limit 1`,
    ),
  ]);
  const counting = organisations.filter((o) => Number(o.counting) > 0);
  return {
    /** The countries and organisations the criteria count: those with an assessment that counts. */
    countries: [...new Set(counting.map((o) => o.country))].sort(),
    countingAssessments: organisations.reduce((n, o) => n + Number(o.counting), 0),
    organisations: organisations.map((o) => ({
      id: o.id,
      name: o.name,
      country: o.country,
      assessments: Number(o.assessments),
      countingAssessments: Number(o.counting),
      latestOnlineAt: new Date(o.latest),
    })),
    assessments: assessments.map((a) => ({
      id: a.id,
      host: a.host,
      organisation: a.name,
      country: a.country,
      verdict: a.verdict,
      realChild: a.real_child,
      apparentAge: a.apparent_age,
      severity: Number(a.severity),
      observedOnlineAt: new Date(a.observed_online_at),
      reportOnline: a.report_online,
      counts: a.counts,
    })),
    hosts: hosts.map((h) => ({ host: h.host, reports: Number(h.reports) })),
    latestObservation: observation[0]
      ? { observedAt: new Date(observation[0].observed_at), online: observation[0].online, note: observation[0].note }
      : null,
  };
}
