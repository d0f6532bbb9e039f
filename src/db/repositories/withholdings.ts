/** National withholdings of upstream entries: history kept, the newest row per key in force. */
import { desc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../database.ts';
import { withholdings } from '../schema.ts';

export type WithholdingRow = typeof withholdings.$inferSelect;

export async function withholdingInForce(db: Db, listKey: string): Promise<WithholdingRow | undefined> {
  const [row] = await db
    .select()
    .from(withholdings)
    .where(eq(withholdings.listKey, listKey))
    .orderBy(desc(withholdings.id))
    .limit(1);
  return row?.state === 'withheld' ? row : undefined;
}

export async function insertWithholding(db: Db, values: typeof withholdings.$inferInsert): Promise<WithholdingRow> {
  const [row] = await db.insert(withholdings).values(values).returning();
  return row!;
}

export async function withholdingHistory(db: Db, listKey: string): Promise<WithholdingRow[]> {
  return db.select().from(withholdings).where(eq(withholdings.listKey, listKey)).orderBy(desc(withholdings.id));
}

/** Every key withheld now. */
export async function withheldKeys(db: Db): Promise<Set<string>> {
  const rows = await queryRows<{ list_key: string }>(
    db,
    sql`select list_key from (select distinct on (list_key) list_key, state from ${withholdings}
        order by list_key, id desc) w where state = 'withheld'`,
  );
  return new Set(rows.map((r) => r.list_key));
}
