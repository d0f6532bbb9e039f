/** TAXII 2.1 query parameters and resources (OASIS TAXII 2.1, sections 3.4 and 4-5). */
import { z } from '@hono/zod-openapi';
import { MAX_PAGE, parseTimestamp, parseVersionFilter, splitList } from '../core/taxii.ts';

const timestamp = z
  .string()
  .transform((value, ctx) => {
    const at = parseTimestamp(value);
    if (!at) {
      ctx.addIssue({ code: 'custom', message: 'expected an RFC 3339 timestamp such as 2026-05-01T12:00:00.000Z' });
      return z.NEVER;
    }
    return at;
  })
  .openapi({ type: 'string', format: 'date-time' });

const list = z.string().max(100_000).transform(splitList).openapi({ type: 'string', description: 'comma-separated' });

const versionFilter = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const filter = parseVersionFilter(value);
    if (typeof filter === 'string') {
      ctx.addIssue({ code: 'custom', message: filter });
      return z.NEVER;
    }
    return filter;
  })
  .openapi({ type: 'string', description: 'last (default), first, all or timestamps, comma-separated' });

const paging = {
  added_after: timestamp.optional(),
  limit: z.coerce
    .number({ error: 'expected a whole number from 1' })
    .int()
    .min(1)
    .optional()
    .openapi({ description: `at most ${MAX_PAGE} are sent, whatever is asked` }),
  next: z.string().max(200).optional(),
  'match[spec_version]': list.optional(),
};

export const objectsQuery = z.object({
  ...paging,
  'match[id]': list.optional(),
  'match[type]': list.optional(),
  'match[version]': versionFilter,
});

export const objectQuery = z.object({ ...paging, 'match[version]': versionFilter });
export const versionsQuery = z.object(paging);

const path = (name: string) =>
  z
    .string()
    .max(200)
    .openapi({ param: { name, in: 'path' } });
export const collectionParams = z.object({ collectionId: path('collectionId') });
export const objectParams = z.object({ collectionId: path('collectionId'), objectId: path('objectId') });

export const discovery = z.object({
  title: z.string(),
  description: z.string().optional(),
  default: z.string().optional(),
  api_roots: z.array(z.string()).optional(),
});

export const apiRoot = z.object({
  title: z.string(),
  description: z.string().optional(),
  versions: z.array(z.string()),
  max_content_length: z.number().int(),
});

export const collection = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  can_read: z.boolean(),
  can_write: z.boolean(),
  media_types: z.array(z.string()).optional(),
});

export const collections = z.object({ collections: z.array(collection).optional() });

export const envelope = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  objects: z.array(z.record(z.string(), z.unknown())).optional(),
});

// TAXII 2.1 gives `next` to the envelope only; the manifest and versions resources carry it too
// (as the reference server does), or their pages could not be followed.
export const manifest = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  objects: z
    .array(z.object({ id: z.string(), date_added: z.string(), version: z.string(), media_type: z.string() }))
    .optional(),
});

export const versions = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  versions: z.array(z.string()).optional(),
});

export const taxiiError = z.object({
  title: z.string(),
  description: z.string().optional(),
  error_id: z.string().optional(),
  error_code: z.string().optional(),
  http_status: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
