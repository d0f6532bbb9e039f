/**
 * Opaque page cursors: a page's last sort keys as a base64url JSON array. Clients pass the
 * string back unread; a string this service did not give out is a 400, not a query.
 */
import { z } from '@hono/zod-openapi';

export const encodeCursor = (keys: readonly unknown[]): string =>
  Buffer.from(JSON.stringify(keys)).toString('base64url');

/** The keys a cursor holds, or undefined when the string is not one this service gave out. */
export function decodeCursor(text: string): unknown[] | undefined {
  try {
    const keys: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Array.isArray(keys) ? keys : undefined;
  } catch {
    return undefined;
  }
}

/** The query parameter that reads a cursor back: `decode` checks the keys and names them, or says undefined. */
export const cursorParam = <T>(decode: (keys: unknown[]) => T | undefined) =>
  z
    .string()
    .max(1024)
    .transform((text, ctx): T => {
      const keys = decodeCursor(text);
      const cursor = keys && decode(keys);
      if (cursor !== undefined) return cursor;
      ctx.addIssue({ code: 'custom', message: 'not a cursor this service gave out' });
      return z.NEVER;
    })
    .optional()
    .openapi({ type: 'string', description: 'the nextCursor of the previous page' });
