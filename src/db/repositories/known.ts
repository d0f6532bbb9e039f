/**
 * The look-ups behind "known on intake" (issue 21), each one statement for a whole batch:
 * listing and exclusion state per key, content hashes stored and matched against the
 * classifications other reports carry.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Criteria } from '../../core/criteria.ts';
import type { KnownContent } from '../../schemas/known.ts';
import { type Db, queryRows, sqlArray, textArray } from '../database.ts';
import { itemQualifiesSql } from './evidence.ts';

export interface KeyState {
  listedSince: number | null;
  excluded: boolean;
}

/** The open listing (its version) and whether an exclusion is in force, per key. */
export async function keyStates(db: Db, listKeys: readonly string[]): Promise<Map<string, KeyState>> {
  const states = new Map<string, KeyState>();
  if (listKeys.length === 0) return states;
  const rows = await queryRows<{ key: string; added_version: number | string | null; excluded: boolean | null }>(
    db,
    sql`select k.key, l.added_version, x.state = 'excluded' as excluded
        from unnest(${textArray(listKeys)}) k(key)
        left join listings l on l.list_key = k.key and l.removed_version is null
        left join lateral (
          select e.state from exclusions e where e.list_key = k.key order by e.id desc limit 1
        ) x on true`,
  );
  for (const r of rows)
    states.set(r.key, {
      listedSince: r.added_version === null ? null : Number(r.added_version),
      excluded: Boolean(r.excluded),
    });
  return states;
}

export interface NamedHash {
  reportId: number;
  organisationId: number;
  algorithm: string;
  value: string;
}

/** Stores the hashes organisations name reports' items by; a hash named again changes nothing. */
export async function insertContentHashes(db: Db, rows: readonly NewHashRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await db.execute(
      sql`insert into content_hashes (report_id, organisation_id, algorithm, value, created_at)
          select * from unnest(${sqlArray(
            chunk.map((r) => r.reportId),
            'int',
          )}, ${sqlArray(
            chunk.map((r) => r.organisationId),
            'int',
          )}, ${textArray(chunk.map((r) => r.algorithm))}, ${textArray(chunk.map((r) => r.value))},
            ${sqlArray(
              chunk.map((r) => r.createdAt.toISOString()),
              'timestamptz',
            )})
          on conflict do nothing`,
    );
  }
}
export type NewHashRow = NamedHash & { createdAt: Date };

/** One item's hashes to match: `item` groups them; assessments of `excludeReport` do not count. */
export interface WantedHash {
  item: number;
  algorithm: string;
  value: string;
  excludeReport: number | null;
}

interface MatchRow {
  item: number | string;
  matched_hashes: number | string;
  assessments: number | string;
  organisations: number | string;
  confirmed: number | string;
  qualifying: number | string;
  latest: {
    verdict: KnownContent['classification']['verdict'];
    real_child: boolean;
    apparent_age: KnownContent['classification']['apparentAge'];
    severity: number;
    content_type: KnownContent['classification']['contentType'];
  };
}

/**
 * The classifications the wanted hashes match: assessments by the organisation that named the
 * hash on that report (its classification of the item), per item. One statement whatever the
 * number of items, through content_hashes_value.
 */
function matchesSql(wanted: SQL, criteria: Criteria): SQL {
  return sql`
    with wanted as (${wanted}),
    matched as (
      select w.item, w.algorithm, w.value, a.id, a.organisation_id, a.verdict,
             a.real_child, a.apparent_age, a.severity, a.content_type, a.assessed_at,
             (a.verdict = 'confirmed' and ${itemQualifiesSql(criteria)}) as qualifies
      from wanted w
      join content_hashes h on h.algorithm = w.algorithm and h.value = w.value
      join assessments a on a.report_id = h.report_id and a.organisation_id = h.organisation_id
      where w.exclude_report is null or a.report_id <> w.exclude_report
    )
    select item,
           count(distinct (algorithm, value)) as matched_hashes,
           count(distinct id) as assessments,
           count(distinct organisation_id) as organisations,
           count(distinct id) filter (where verdict = 'confirmed') as confirmed,
           count(distinct id) filter (where qualifies) as qualifying,
           (array_agg(json_build_object('verdict', verdict, 'real_child', real_child, 'apparent_age', apparent_age,
                                        'severity', severity, 'content_type', content_type)
                      order by assessed_at desc, id desc))[1] as latest
    from matched group by item`;
}

function toKnownContent(r: MatchRow): KnownContent {
  const assessments = Number(r.assessments);
  const confirmed = Number(r.confirmed);
  return {
    matchedHashes: Number(r.matched_hashes),
    assessments,
    organisations: Number(r.organisations),
    confirmed,
    notConfirmed: assessments - confirmed,
    qualifying: Number(r.qualifying),
    classification: {
      verdict: r.latest.verdict,
      realChild: r.latest.real_child,
      apparentAge: r.latest.apparent_age,
      severity: Number(r.latest.severity),
      contentType: r.latest.content_type,
    },
  };
}

export async function matchContent(
  db: Db,
  criteria: Criteria,
  wanted: readonly WantedHash[],
): Promise<Map<number, KnownContent>> {
  const found = new Map<number, KnownContent>();
  if (wanted.length === 0) return found;
  const rows = await queryRows<MatchRow>(
    db,
    matchesSql(
      sql`select * from unnest(${sqlArray(
        wanted.map((w) => w.item),
        'int',
      )}, ${textArray(wanted.map((w) => w.algorithm))}, ${textArray(wanted.map((w) => w.value))},
          ${sqlArray(
            wanted.map((w) => w.excludeReport),
            'int',
          )}) w(item, algorithm, value, exclude_report)`,
      criteria,
    ),
  );
  for (const r of rows) found.set(Number(r.item), toKnownContent(r));
  return found;
}

/** A domain's reports whose items match classifications on other reports, per report (up to `limit`). */
export async function knownContentOfKey(db: Db, criteria: Criteria, listKey: string, limit = 50) {
  const rows = await queryRows<MatchRow & { url: string }>(
    db,
    sql`select m.*, r.url_canonical as url from (${matchesSql(
      sql`select distinct h.report_id as item, h.algorithm, h.value, h.report_id as exclude_report
          from reports r join content_hashes h on h.report_id = r.id where r.list_key = ${listKey}`,
      criteria,
    )}) m join reports r on r.id = m.item order by m.item limit ${limit}`,
  );
  return rows.map((r) => ({ reportId: Number(r.item), url: r.url, ...toKnownContent(r) }));
}
