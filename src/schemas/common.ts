/**
 * Building blocks of the request and response schemas. Timestamps are RFC 3339 with `Z`
 * or an offset, fractions allowed (clients send both), turned into Dates.
 */
import { z } from '@hono/zod-openapi';

export const timestamp = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .openapi({ type: 'string', format: 'date-time', example: '2026-11-20T08:15:30.123+00:00' });

/** Dates in answers: JSON serialises a Date as its ISO string, which is what the document promises. */
export const isoOut = z.date().openapi({ type: 'string', format: 'date-time' });
export const nullableIsoOut = z
  .date()
  .nullable()
  .openapi({ type: ['string', 'null'], format: 'date-time' });

export const country = z
  .string()
  .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as SE')
  .openapi({ example: 'SE' });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as PostgreSQL text (NUL) or as UTF-8 (a lone surrogate); undefined when it can. */
export function unstorableText(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
  return undefined;
}

/**
 * The base of every free-text field in a request: a string without NUL or lone surrogates, which
 * PostgreSQL would refuse with a 500. Chain `.trim()`, `.min()`, `.max()` after it as on z.string().
 */
export const text = () =>
  z.string().superRefine((value, ctx) => {
    const message = unstorableText(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

export const shortText = (max = 200) => text().trim().min(1).max(max);
export const id = z.coerce.number().int().positive().max(2_147_483_647);
export const idParam = z.object({ id: id.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });

export const problemSchema = z
  .object({
    type: z.string(),
    status: z.number().int(),
    code: z.string(),
    title: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');
