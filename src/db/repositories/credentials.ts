/** Credentials and the organisation each belongs to. Tokens are only ever handled as hashes. */
import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { type Db, sqlArray } from '../database.ts';
import { credentials, organisations } from '../schema.ts';

export type CredentialRow = typeof credentials.$inferSelect;
export type NewCredential = typeof credentials.$inferInsert;

/** A credential with what a principal needs of its organisation. */
async function findCredential(db: Db, where: SQL) {
  const [row] = await db
    .select({
      id: credentials.id,
      role: credentials.role,
      label: credentials.label,
      tokenHash: credentials.tokenHash,
      organisationId: credentials.organisationId,
      expiresAt: credentials.expiresAt,
      revokedAt: credentials.revokedAt,
      lastUsedAt: credentials.lastUsedAt,
      organisationKind: organisations.kind,
      organisationName: organisations.name,
      country: organisations.country,
    })
    .from(credentials)
    .leftJoin(organisations, eq(organisations.id, credentials.organisationId))
    .where(where);
  return row;
}

export const findCredentialByHash = (db: Db, tokenHash: string) =>
  findCredential(db, eq(credentials.tokenHash, tokenHash));

/** How a console session finds its credential again. */
export const findCredentialById = (db: Db, id: number) => findCredential(db, eq(credentials.id, id));

export async function insertCredential(db: Db, values: NewCredential): Promise<CredentialRow> {
  const [row] = await db.insert(credentials).values(values).returning();
  if (!row) throw new Error('insert into credentials returned no row');
  return row;
}

/**
 * Records when credentials were last used, any number in one statement. In id order, as every
 * writer of these rows should lock them; a later use already recorded is kept.
 */
export async function touchCredentials(db: Db, touches: readonly (readonly [id: number, at: Date])[]): Promise<void> {
  if (touches.length === 0) return;
  const sorted = [...touches].sort(([a], [b]) => a - b);
  const ids = sqlArray(
    sorted.map(([id]) => id),
    'int',
  );
  const ats = sqlArray(
    sorted.map(([, at]) => at.toISOString()),
    'timestamptz',
  );
  await db.execute(sql`update ${credentials} set last_used_at = t.at from unnest(${ids}, ${ats}) as t(id, at)
      where ${credentials.id} = t.id and (${credentials.lastUsedAt} is null or ${credentials.lastUsedAt} < t.at)`);
}

export async function getCredential(db: Db, id: number): Promise<CredentialRow | undefined> {
  const [row] = await db.select().from(credentials).where(eq(credentials.id, id));
  return row;
}

export async function revokeCredential(db: Db, id: number, at: Date): Promise<void> {
  await db
    .update(credentials)
    .set({ revokedAt: at })
    .where(and(eq(credentials.id, id), isNull(credentials.revokedAt)));
}

/** Credentials without their hashes, newest first; `createdBy` narrows to one issuer's. */
export async function listCredentials(db: Db, filter: { createdBy?: number; limit: number }) {
  return db
    .select({
      id: credentials.id,
      organisationId: credentials.organisationId,
      role: credentials.role,
      label: credentials.label,
      createdBy: credentials.createdBy,
      createdAt: credentials.createdAt,
      expiresAt: credentials.expiresAt,
      revokedAt: credentials.revokedAt,
      lastUsedAt: credentials.lastUsedAt,
    })
    .from(credentials)
    .where(filter.createdBy === undefined ? sql`true` : eq(credentials.createdBy, filter.createdBy))
    .orderBy(desc(credentials.id))
    .limit(filter.limit);
}
