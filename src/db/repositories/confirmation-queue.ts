/**
 * What the confirmation queue reads besides the evidence aggregate: who assessed each
 * candidate and where its confirmations come from (to keep a reporter to domains it can
 * help with), and a stamp that changes with every write that can change evidence.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows, textArray } from '../database.ts';

export interface Confirmers {
  /** Organisations with any assessment of the key's reports (either verdict). */
  assessedBy: number[];
  /** Countries of the organisations that confirmed. */
  confirmedIn: string[];
}

export async function confirmersOf(db: Db, listKeys: readonly string[]): Promise<Map<string, Confirmers>> {
  const found = new Map<string, Confirmers>();
  if (listKeys.length === 0) return found;
  const rows = await queryRows<{ list_key: string; assessed_by: number[]; confirmed_in: string[] | null }>(
    db,
    sql`select r.list_key, array_agg(distinct a.organisation_id) as assessed_by,
               array_agg(distinct o.country) filter (where a.verdict = 'confirmed') as confirmed_in
        from reports r
        join assessments a on a.report_id = r.id
        join organisations o on o.id = a.organisation_id
        where r.list_key = any(${textArray(listKeys)})
        group by r.list_key`,
  );
  for (const r of rows)
    found.set(r.list_key, { assessedBy: r.assessed_by.map(Number), confirmedIn: r.confirmed_in ?? [] });
  return found;
}

/**
 * Every write that can change a domain's evidence (reports, assessments, observations,
 * exclusions, policies, criteria, delisting decisions) writes an audit row in its transaction,
 * so the newest audit id says whether a computed queue still holds. One index look-up.
 */
export async function evidenceStamp(db: Db): Promise<string> {
  const [row] = await queryRows<{ audit: number | string | null }>(db, sql`select max(id) as audit from audit_log`);
  return String(row?.audit ?? 0);
}
