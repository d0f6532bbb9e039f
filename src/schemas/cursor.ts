/**
 * Opaque page cursors: a page's last sort keys as a base64url JSON array. Clients pass the
 * string back unread; a string this service did not give out is a 400, not a query.
 */
import { z } from '@hono/zod-openapi';

export const encodeCursor = (keys: readonly unknown[]): string =>
  Buffer.from(JSON.stringify(keys)).toString('base64url');

/** The query parameter that reads a cursor back: `decode` checks the keys and names them, or says undefined. */
export const cursorParam = <T>(decode: (keys: unknown[]) => T | undefined) =>
  z
    .string()
    .max(1024)
    .transform((text, ctx): T => {
      try {
        const keys: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
        const cursor = Array.isArray(keys) ? decode(keys) : undefined;
        if (cursor !== undefined) return cursor;
      } catch {}
      ctx.addIssue({ code: 'custom', message: 'not a cursor this service gave out' });
      return z.NEVER;
    })
    .optional()
    .openapi({ type: 'string', description: 'the nextCursor of the previous page' });
