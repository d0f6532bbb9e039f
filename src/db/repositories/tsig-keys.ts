/** TSIG keys of credentials. A key is usable while neither it nor its credential is revoked or expired. */
import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { credentials, organisations, tsigKeys } from '../schema.ts';

export type TsigKeyRow = typeof tsigKeys.$inferSelect;
export type NewTsigKey = typeof tsigKeys.$inferInsert;

export async function insertTsigKey(db: Db, values: NewTsigKey): Promise<TsigKeyRow> {
  const [row] = await db.insert(tsigKeys).values(values).returning();
  if (!row) throw new Error('insert into tsig_keys returned no row');
  return row;
}

export async function listTsigKeys(db: Db, credentialId: number): Promise<TsigKeyRow[]> {
  return db.select().from(tsigKeys).where(eq(tsigKeys.credentialId, credentialId)).orderBy(asc(tsigKeys.id));
}

export async function revokeTsigKey(db: Db, credentialId: number, name: string, at: Date) {
  const [row] = await db
    .update(tsigKeys)
    .set({ revokedAt: sql`coalesce(${tsigKeys.revokedAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(tsigKeys.credentialId, credentialId), eq(tsigKeys.name, name)))
    .returning();
  return row;
}

const usable = (now: Date) =>
  and(
    isNull(tsigKeys.revokedAt),
    isNull(credentials.revokedAt),
    or(isNull(credentials.expiresAt), gt(credentials.expiresAt, now)),
  );

const withCredential = {
  key: tsigKeys,
  role: credentials.role,
  organisationId: credentials.organisationId,
  expiresAt: credentials.expiresAt,
  country: organisations.country,
};

/** The usable key of that name with its credential, or undefined. */
export async function findUsableTsigKey(db: Db, name: string, now: Date) {
  const [row] = await db
    .select(withCredential)
    .from(tsigKeys)
    .innerJoin(credentials, eq(credentials.id, tsigKeys.credentialId))
    .leftJoin(organisations, eq(organisations.id, credentials.organisationId))
    .where(and(eq(tsigKeys.name, name), usable(now)));
  return row;
}

/** Every usable key that names secondaries to NOTIFY. */
export async function notifyingTsigKeys(db: Db, now: Date): Promise<TsigKeyRow[]> {
  const rows = await db
    .select({ key: tsigKeys })
    .from(tsigKeys)
    .innerJoin(credentials, eq(credentials.id, tsigKeys.credentialId))
    .where(and(usable(now), sql`jsonb_array_length(${tsigKeys.notify}) > 0`))
    .orderBy(asc(tsigKeys.id));
  return rows.map((r) => r.key);
}
