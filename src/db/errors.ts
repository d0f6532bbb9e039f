/**
 * What a database failure means, whichever driver raised it. drizzle wraps a failed query in
 * DrizzleQueryError with the driver's error as `cause` (its message is the SQL); postgres.js
 * and PGlite put the SQLSTATE on `code`, and postgres.js a connection failure's code
 * (ECONNREFUSED, CONNECTION_CLOSED, CONNECT_TIMEOUT) there too.
 */
import { DrizzleQueryError } from 'drizzle-orm';

/** Failures that pass: the request was fine, the database could not serve it just now. */
export type DatabaseFailure = 'unavailable' | 'read_only' | 'timeout' | 'contention';

const failures: Record<string, DatabaseFailure> = {
  // Another transaction got in the way; inTransaction retries these a few times first.
  '40001': 'contention',
  '40P01': 'contention',
  '25006': 'read_only',
  // A statement timeout (or a cancel) and a lock timeout.
  '57014': 'timeout',
  '55P03': 'timeout',
  // Shutting down, crashed, starting up or in recovery, out of connections.
  '57P01': 'unavailable',
  '57P02': 'unavailable',
  '57P03': 'unavailable',
  '53300': 'unavailable',
  CONNECTION_CLOSED: 'unavailable',
  CONNECTION_ENDED: 'unavailable',
  CONNECTION_DESTROYED: 'unavailable',
  CONNECT_TIMEOUT: 'unavailable',
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ETIMEDOUT: 'unavailable',
  EHOSTUNREACH: 'unavailable',
  ENETUNREACH: 'unavailable',
  ENOTFOUND: 'unavailable',
  EAI_AGAIN: 'unavailable',
  EPIPE: 'unavailable',
};

/** The driver's own error: under drizzle's wrapper, or the error itself (BEGIN and COMMIT are not wrapped). */
function driverError(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause ? error.cause : error;
}

export function driverCode(error: unknown): string | undefined {
  const code = (driverError(error) as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function databaseFailure(error: unknown): DatabaseFailure | null {
  const code = driverCode(error);
  if (code === undefined) return null;
  // Class 08 is "connection exception" whatever the subclass.
  return failures[code] ?? (/^08[0-9A-Z]{3}$/.test(code) ? 'unavailable' : null);
}

/** What went wrong in words, without the statement drizzle puts in front of it. */
export function failureMessage(error: unknown): string {
  const cause = driverError(error);
  return cause instanceof Error ? cause.message : String(cause);
}
