/** Requests and answers of the review cycle: observations and the re-check queue. */
import { z } from '@hono/zod-openapi';
import { id, isoOut, nullableIsoOut, text, timestamp, unstorableText } from './common.ts';
import { cursorParam, encodeCursor } from './cursor.ts';
import { itemError } from './reports.ts';

export const MAX_OBSERVATIONS = 10_000;

const observationFields = {
  online: z.boolean().openapi({ description: 'false: the material is gone; true: it is (back) online' }),
  observedAt: timestamp,
  note: text().max(2000).optional(),
};

export const observationInput = z.strictObject(observationFields).openapi('ObservationInput');
export type ObservationInput = z.output<typeof observationInput>;

/** One item of the bulk form: the report by id (any organisation's) or by your own externalRef. */
export const observationItem = z
  .strictObject({
    reportId: id.optional(),
    externalRef: text().trim().min(1).max(200).optional(),
    ...observationFields,
  })
  .refine((item) => (item.reportId === undefined) !== (item.externalRef === undefined), {
    message: 'give exactly one of reportId and externalRef',
    path: ['reportId'],
  })
  .openapi('ObservationItem');
export type ObservationItem = z.output<typeof observationItem>;

export const observationBatchInput = z
  .strictObject({ observations: z.array(z.unknown()).min(1).max(MAX_OBSERVATIONS) })
  .openapi('ObservationBatchInput', {
    description: `up to ${MAX_OBSERVATIONS} observations; each is validated on its own`,
  });

export const observation = z
  .object({
    id: z.number().int(),
    reportId: z.number().int(),
    organisationId: z.number().int(),
    observedAt: isoOut,
    online: z.boolean(),
    note: z.string().nullable(),
    createdAt: isoOut,
  })
  .openapi('Observation');

export const observationItemResult = z
  .object({
    index: z.number().int(),
    status: z.enum(['recorded', 'rejected']),
    id: z.number().int().optional(),
    reportId: z.number().int().optional(),
    error: itemError.optional(),
  })
  .openapi('ObservationItemResult');
export type ObservationItemResult = z.infer<typeof observationItemResult>;

export const observationBatchResult = z
  .object({
    summary: z.object({ recorded: z.number().int(), rejected: z.number().int() }),
    results: z.array(observationItemResult),
  })
  .openapi('ObservationBatchResult');

/** Where a page of the queue ends: its sort keys (delisting request first, then oldest), opaque to clients. */
export interface ReviewCursor {
  requested: boolean;
  /** The last item's confirmation time in microseconds since 1970 (exact), the smallest bigint for none. */
  confirmedMicros: string;
  listKey: string;
}

export const encodeReviewCursor = (cursor: ReviewCursor): string =>
  encodeCursor([cursor.requested ? 1 : 0, cursor.confirmedMicros, cursor.listKey]);

const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;
const isBigint = (text: unknown): text is string =>
  typeof text === 'string' && /^-?\d{1,19}$/.test(text) && BigInt(text) >= BIGINT_MIN && BigInt(text) <= BIGINT_MAX;

export const reviewQueueQuery = z.object({
  cursor: cursorParam(([requested, confirmedMicros, listKey]): ReviewCursor | undefined =>
    (requested === 0 || requested === 1) &&
    isBigint(confirmedMicros) &&
    typeof listKey === 'string' &&
    !unstorableText(listKey)
      ? { requested: requested === 1, confirmedMicros, listKey }
      : undefined,
  ),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const reviewQueueItem = z
  .object({
    listKey: z.string(),
    listedSince: z.number().int().openapi({ description: 'the version that added it' }),
    openDelistingRequests: z.number().int(),
    lastConfirmedAt: nullableIsoOut.openapi({
      description: 'newest online confirmation: a confirmed assessment, or a later online observation',
    }),
    expiresAt: nullableIsoOut.openapi({
      description: 'when it would stop qualifying under the active criteria (null: it comes off at the next build)',
    }),
    daysLeft: z.number().int(),
    reportCount: z.number().int(),
    reports: z.array(
      z.object({
        id: z.number().int(),
        url: z.string(),
        organisation: z.object({ id: z.number().int(), name: z.string(), country: z.string() }),
        lastConfirmedAt: isoOut,
      }),
    ),
  })
  .openapi('ReviewQueueItem');

export const reviewQueue = z
  .object({
    reviewAfterDays: z.number().int(),
    total: z.number().int(),
    items: z.array(reviewQueueItem),
    nextCursor: z.string().nullable(),
  })
  .openapi('ReviewQueue');
