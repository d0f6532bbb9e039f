/** Domain policies (history kept; the newest row per list key is in force). */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Granularity } from '../../core/vocabulary.ts';
import type { Db } from '../database.ts';
import { queryRows } from '../database.ts';
import { domainPolicies, reports } from '../schema.ts';

/** The granularity in force for each of `domains` that has a policy. */
export async function policiesInForce(db: Db, domains: readonly string[]): Promise<Map<string, Granularity>> {
  if (domains.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([domainPolicies.listKey], {
      listKey: domainPolicies.listKey,
      granularity: domainPolicies.granularity,
    })
    .from(domainPolicies)
    .where(inArray(domainPolicies.listKey, [...domains]))
    .orderBy(domainPolicies.listKey, desc(domainPolicies.id));
  return new Map(rows.map((r) => [r.listKey, r.granularity]));
}

export async function policyHistory(db: Db, domain: string) {
  return db.select().from(domainPolicies).where(eq(domainPolicies.listKey, domain)).orderBy(desc(domainPolicies.id));
}

export async function insertPolicy(db: Db, values: typeof domainPolicies.$inferInsert) {
  await db.insert(domainPolicies).values(values);
}

/** Re-keys the reports of one registrable domain after its policy changed. */
export async function rekeyReports(db: Db, domain: string, granularity: Granularity): Promise<number> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update ${reports} set list_key = ${granularity === 'hostname' ? sql`host` : sql`domain`}
        where domain = ${domain} returning id`,
  );
  return rows.length;
}
