/**
 * The confirmation queue's table (issue 21): the candidates a build found, replaced in its
 * transaction for the keys it re-aggregated, and the pages read from it along the queue's order. A reporter's pages leave
 * out, as of now, the keys its organisation assessed and, where a country is missing, those its
 * country confirmed; its total counts the same as of the build (the arrays the build stored).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { ConfirmationCandidate } from '../../core/known.ts';
import type { QueueCursor } from '../../schemas/confirmation-queue.ts';
import { type Db, deleteKeyed, queryRows, sqlArray, textArray } from '../database.ts';

type CandidateRow = ConfirmationCandidate;

/** Whose queue: a reporter's organisation and country, or null for everyone (analysts). */
export type QueueReader = { organisationId: number | null; country: string | null } | null;

/**
 * Replaces the candidates among `among` (all of them when null) with `rows` in two statements
 * whatever their number; who assessed each and where its confirmations come from are read here
 * from the assessments (either verdict; confirmations' countries).
 */
export async function replaceCandidates(
  db: Db,
  rows: readonly CandidateRow[],
  among: readonly string[] | null,
): Promise<void> {
  await deleteKeyed(db, 'confirmation_candidates', among);
  if (rows.length === 0) return;
  const column = (pick: (r: CandidateRow) => number, type = 'int') => sqlArray(rows.map(pick), type);
  const keys = textArray(rows.map((r) => r.listKey));
  await db.execute(sql`
    insert into confirmation_candidates (list_key, needed, missing_organisations, missing_countries, latest_ms,
      reports, confirming_organisations, confirming_countries, assessed_by, confirmed_in)
    select c.list_key, c.needed, c.missing_organisations, c.missing_countries, c.latest_ms, c.reports,
           c.confirming_organisations, c.confirming_countries,
           coalesce(x.assessed_by, '{}'), coalesce(x.confirmed_in, '{}')
    from unnest(${keys}, ${column((r) => r.needed)}, ${column((r) => r.missingOrganisations)},
                ${column((r) => r.missingCountries)}, ${column((r) => r.latestMs, 'bigint')}, ${column((r) => r.reports)},
                ${column((r) => r.confirmingOrganisations)}, ${column((r) => r.confirmingCountries)})
         c(list_key, needed, missing_organisations, missing_countries, latest_ms, reports,
           confirming_organisations, confirming_countries)
    left join (
      select r.list_key, array_agg(distinct a.organisation_id) as assessed_by,
             array_agg(distinct o.country) filter (where a.verdict = 'confirmed') as confirmed_in
      from reports r
      join assessments a on a.report_id = r.id
      join organisations o on o.id = a.organisation_id
      where r.list_key = any(${keys})
      group by r.list_key
    ) x on x.list_key = c.list_key`);
}

/** What the build stored says the reader could add a confirmation to (alias `c`). */
function mayHelpAsBuilt(reader: QueueReader): SQL {
  if (!reader) return sql`true`;
  const organisation =
    reader.organisationId === null ? sql`true` : sql`not (${reader.organisationId}::int = any(c.assessed_by))`;
  const country =
    reader.country === null
      ? sql`true`
      : sql`not (c.missing_countries > 0 and ${reader.country}::text = any(c.confirmed_in))`;
  return sql`(${organisation} and ${country})`;
}

/**
 * The same rule against the assessments as they are now, for the keys a page reaches (offset 0
 * keeps the planner from making it an anti-join over every report and assessment).
 */
function mayHelpNow(reader: QueueReader): SQL {
  if (!reader) return sql`true`;
  return sql`not exists (
    select 1 from reports r
    join assessments a on a.report_id = r.id
    join organisations o on o.id = a.organisation_id
    where r.list_key = c.list_key
      and (a.organisation_id = ${reader.organisationId}::int
           or (c.missing_countries > 0 and a.verdict = 'confirmed' and o.country = ${reader.country}::text))
    offset 0)`;
}

/** After the cursor in the queue's order (needed, newest first, most reports first, key bytewise). */
function afterCursor(cursor: QueueCursor | undefined): SQL {
  if (!cursor) return sql`true`;
  const { needed, latestMs, reports, listKey } = cursor;
  // The leading bound lets the rank index start at the cursor's `needed`.
  return sql`c.needed >= ${needed} and (c.needed > ${needed} or (c.needed = ${needed} and (c.latest_ms < ${latestMs}
    or (c.latest_ms = ${latestMs} and (c.reports < ${reports}
    or (c.reports = ${reports} and c.list_key collate "C" > ${listKey}::text collate "C"))))))`;
}

interface Row {
  list_key: string;
  needed: number | string;
  missing_organisations: number | string;
  missing_countries: number | string;
  latest_ms: number | string;
  reports: number | string;
  confirming_organisations: number | string;
  confirming_countries: number | string;
}

/** A page of the queue for `reader`, after `cursor`, in the queue's order (as the rank index has it: nulls last). */
export async function candidatesPage(
  db: Db,
  reader: QueueReader,
  cursor: QueueCursor | undefined,
  limit: number,
): Promise<CandidateRow[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select c.list_key, c.needed, c.missing_organisations, c.missing_countries, c.latest_ms, c.reports,
               c.confirming_organisations, c.confirming_countries
        from confirmation_candidates c
        where ${afterCursor(cursor)} and ${mayHelpAsBuilt(reader)} and ${mayHelpNow(reader)}
        order by c.needed, c.latest_ms desc nulls last, c.reports desc nulls last, c.list_key collate "C"
        limit ${limit}`,
  );
  return rows.map((r) => ({
    listKey: r.list_key,
    needed: Number(r.needed),
    missingOrganisations: Number(r.missing_organisations),
    missingCountries: Number(r.missing_countries),
    latestMs: Number(r.latest_ms),
    reports: Number(r.reports),
    confirmingOrganisations: Number(r.confirming_organisations),
    confirmingCountries: Number(r.confirming_countries),
  }));
}

/** How many candidates the reader could help with, as of the build. */
export async function candidatesTotal(db: Db, reader: QueueReader): Promise<number> {
  const [row] = await queryRows<{ total: number | string }>(
    db,
    sql`select count(*) as total from confirmation_candidates c where ${mayHelpAsBuilt(reader)}`,
  );
  return Number(row?.total ?? 0);
}
