/** Answer shapes of a national instance's upstream: its sync status and the receipt of a notification. */
import { z } from '@hono/zod-openapi';
import { nullableIsoOut } from './common.ts';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** GET /v1/upstream: the central service a national instance follows, and how its syncs went. */
export const upstreamStatus = z.object({
  url: z.string(),
  version: z.number().int().nullable().openapi({ description: 'the last upstream version verified and stored' }),
  manifestSha256: sha256.nullable(),
  entryCount: z.number().int().nullable(),
  versionSyncedAt: nullableIsoOut.openapi({ description: 'when that version was stored' }),
  syncedAt: nullableIsoOut.openapi({ description: 'the last sync that verified the upstream timestamp' }),
  timestampExpiresAt: nullableIsoOut.openapi({ description: "the last verified upstream timestamp's exp" }),
  stale: z.boolean().openapi({
    description: 'no verified sync within two poll intervals, or the upstream timestamp has expired',
  }),
  lastError: z
    .object({ reason: z.string(), message: z.string(), at: nullableIsoOut })
    .nullable()
    .openapi({ description: 'the last failed sync (kept after later successes; compare its time with syncedAt)' }),
});

export const notificationReceipt = z.object({
  version: z.number().int(),
  sync: z.enum(['started', 'current']).openapi({ description: 'current: that version is stored already' }),
});
