/** The confirmation queue's query and answer: domains waiting for one more country or organisation. */
import { z } from '@hono/zod-openapi';
import { isoOut, nullableIsoOut, unstorableText } from './common.ts';
import { cursorParam, encodeCursor } from './cursor.ts';

/** Where a page ends: the last item's sort keys (fewest confirmations needed, newest, most reported, key). */
export interface QueueCursor {
  needed: number;
  latestMs: number;
  reports: number;
  listKey: string;
}

export const encodeQueueCursor = (c: QueueCursor): string => encodeCursor([c.needed, c.latestMs, c.reports, c.listKey]);

const int = (v: unknown): v is number => Number.isSafeInteger(v);

export const confirmationQueueQuery = z.object({
  cursor: cursorParam(([needed, latestMs, reports, listKey]): QueueCursor | undefined =>
    int(needed) && int(latestMs) && int(reports) && typeof listKey === 'string' && !unstorableText(listKey)
      ? { needed, latestMs, reports, listKey }
      : undefined,
  ),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const confirmationQueueItem = z
  .object({
    listKey: z.string(),
    missing: z.object({
      organisations: z.number().int(),
      countries: z.number().int(),
      text: z.string().openapi({ example: 'one more country' }),
    }),
    reports: z.number().int(),
    confirmingOrganisations: z.number().int(),
    confirmingCountries: z.number().int(),
    latestOnlineAt: nullableIsoOut.openapi({ description: 'when the material was last confirmed online' }),
  })
  .openapi('ConfirmationQueueItem');

export const confirmationQueue = z
  .object({
    asOf: z
      .object({
        version: z.number().int().nullable().openapi({ description: 'the latest version when that build ran' }),
        builtAt: isoOut,
      })
      .nullable()
      .openapi({
        description:
          'the build the queue is as of: each build records it; null before the first build. ' +
          'A reporter’s pages leave out, as of now, domains its organisation has assessed since',
      }),
    total: z.number().int().openapi({ description: 'domains in the queue for you, as of that build' }),
    items: z.array(confirmationQueueItem),
    nextCursor: z.string().nullable(),
  })
  .openapi('ConfirmationQueue');
