/** Webhooks (an organisation's notification URLs) and one row per delivery attempt. */
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { webhookDeliveries, webhooks } from '../schema.ts';

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertWebhook(db: Db, values: typeof webhooks.$inferInsert): Promise<WebhookRow> {
  const [row] = await db.insert(webhooks).values(values).returning();
  return row!;
}

/** Webhooks in force (not deleted), of one organisation or (undefined) of all. */
export async function activeWebhooks(db: Db, organisationId?: number | null): Promise<WebhookRow[]> {
  const scope =
    organisationId === undefined
      ? isNull(webhooks.revokedAt)
      : and(
          isNull(webhooks.revokedAt),
          organisationId === null ? isNull(webhooks.organisationId) : eq(webhooks.organisationId, organisationId),
        );
  return db.select().from(webhooks).where(scope).orderBy(webhooks.id);
}

export async function countActiveWebhooks(db: Db, organisationId: number | null): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(webhooks)
    .where(
      and(
        isNull(webhooks.revokedAt),
        organisationId === null ? isNull(webhooks.organisationId) : eq(webhooks.organisationId, organisationId),
      ),
    );
  return row?.n ?? 0;
}

export async function getWebhook(db: Db, id: number): Promise<WebhookRow | undefined> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  return row;
}

export async function revokeWebhook(db: Db, id: number, at: Date): Promise<WebhookRow | undefined> {
  const [row] = await db
    .update(webhooks)
    .set({ revokedAt: at })
    .where(and(eq(webhooks.id, id), isNull(webhooks.revokedAt)))
    .returning();
  return row;
}

export async function insertDelivery(db: Db, values: typeof webhookDeliveries.$inferInsert): Promise<void> {
  await db.insert(webhookDeliveries).values(values);
}

/** The newest attempt of each of these webhooks. */
export async function latestDeliveries(db: Db, webhookIds: readonly number[]): Promise<Map<number, DeliveryRow>> {
  if (webhookIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([webhookDeliveries.webhookId])
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.webhookId, [...webhookIds]))
    .orderBy(webhookDeliveries.webhookId, desc(webhookDeliveries.id));
  return new Map(rows.map((r) => [r.webhookId, r]));
}
