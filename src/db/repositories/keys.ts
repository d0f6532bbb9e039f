/** Signing keys: public halves and where each private half lives. */
import { and, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { publishedKeyStates } from '../../core/vocabulary.ts';
import type { Db } from '../database.ts';
import { signingKeys, snapshots } from '../schema.ts';

export type KeyRow = typeof signingKeys.$inferSelect;

export async function activeKeyRow(db: Db): Promise<KeyRow | undefined> {
  const [row] = await db.select().from(signingKeys).where(eq(signingKeys.state, 'active'));
  return row;
}

export async function publishedKeyRows(db: Db): Promise<KeyRow[]> {
  return db
    .select()
    .from(signingKeys)
    .where(inArray(signingKeys.state, [...publishedKeyStates]))
    .orderBy(desc(signingKeys.createdAt));
}

export async function allKeyRows(db: Db): Promise<KeyRow[]> {
  return db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
}

/** Makes `row` the active key; the previous active key becomes retiring. */
export async function activateKey(
  db: Db,
  row: Omit<typeof signingKeys.$inferInsert, 'state'>,
  at: Date,
): Promise<void> {
  await db
    .update(signingKeys)
    .set({ state: 'retiring', retiringAt: at })
    .where(and(eq(signingKeys.state, 'active'), sql`${signingKeys.kid} <> ${row.kid}`));
  await db
    .insert(signingKeys)
    .values({ ...row, state: 'active' })
    .onConflictDoUpdate({
      target: signingKeys.kid,
      set: { state: 'active', retiringAt: null, retiredAt: null, privateRef: row.privateRef },
    });
}

/** Retiring keys whose every signed manifest has expired leave the key set. */
export async function retireExpiredKeys(db: Db, now: Date): Promise<void> {
  await db
    .update(signingKeys)
    .set({ state: 'retired', retiredAt: now })
    .where(
      and(
        eq(signingKeys.state, 'retiring'),
        isNotNull(signingKeys.retiringAt),
        sql`not exists (select 1 from ${snapshots} s where s.signing_kid = ${signingKeys.kid} and s.expires_at > ${now.toISOString()}::timestamptz)`,
        // A timestamp signed by the key may also still be in force.
        lt(signingKeys.retiringAt, now),
      ),
    );
}
