/** Helpers for declaring routes: JSON bodies and answers, and the problems a route may answer. */
import type { z } from '@hono/zod-openapi';
import { problemSchema } from '../schemas/common.ts';

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  content: { 'application/json': { schema } },
  ...(description ? { description } : {}),
});

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const problemDescriptions: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing, unknown, expired or revoked API key',
  403: 'The key’s role may not do this',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Body too large',
  422: 'Invalid input; `errors` names the fields',
  429: 'Rate limited; see Retry-After',
  503: 'Not available yet, or the database is down, read-only or slow; see Retry-After',
};

/**
 * The problems a route answers, as its declaration names them. Every route reads or writes the
 * database, so every route may answer 503 (http/failure.ts) and each declares it.
 */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(
    [...new Set([...statuses, 503])].map((status) => [
      status,
      {
        description: problemDescriptions[status] ?? 'Error',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  );
