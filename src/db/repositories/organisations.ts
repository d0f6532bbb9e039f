/** Organisations: hotlines, agencies, NCBs, ISPs and the operator, each with its kind and country. */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { organisations } from '../schema.ts';

export type OrganisationRow = typeof organisations.$inferSelect;

export async function insertOrganisation(db: Db, values: typeof organisations.$inferInsert): Promise<OrganisationRow> {
  const [row] = await db.insert(organisations).values(values).onConflictDoNothing().returning();
  return row as OrganisationRow;
}

export async function getOrganisation(db: Db, id: number): Promise<OrganisationRow | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row;
}

export async function listOrganisations(db: Db, filter: { kind?: OrganisationRow['kind']; country?: string }) {
  const conditions: SQL[] = [];
  if (filter.kind) conditions.push(eq(organisations.kind, filter.kind));
  if (filter.country) conditions.push(eq(organisations.country, filter.country));
  return db
    .select()
    .from(organisations)
    .where(and(...conditions))
    .orderBy(asc(organisations.id));
}
