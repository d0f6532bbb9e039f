/**
 * What a build leaves in the tables it derives, row by row, for `worstof build --check`
 * (issue 16): each table's rows as JSON text keyed by list key, so two builds' states compare
 * by equality whatever the columns.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../database.ts';

const derived = {
  key_evidence: sql`select list_key, row_to_json(t)::text as row from key_evidence t`,
  listings: sql`select list_key, json_build_object('since', added_version)::text as row
                from listings where removed_version is null`,
  domain_figures: sql`select list_key, row_to_json(t)::text as row from domain_figures t`,
  confirmation_candidates: sql`select list_key, row_to_json(t)::text as row from confirmation_candidates t`,
  recheck_queue: sql`select list_key, row_to_json(t)::text as row from recheck_queue t`,
};

export type DerivedTable = keyof typeof derived;

export async function derivedRows(db: Db): Promise<Map<DerivedTable, Map<string, string>>> {
  const tables = new Map<DerivedTable, Map<string, string>>();
  for (const [table, query] of Object.entries(derived) as [DerivedTable, (typeof derived)[DerivedTable]][]) {
    const rows = await queryRows<{ list_key: string; row: string }>(db, query);
    tables.set(table, new Map(rows.map((r) => [r.list_key, r.row])));
  }
  return tables;
}
