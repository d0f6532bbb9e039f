/**
 * How an error appears in a log line, at every level and on every runtime (logger.ts,
 * console-logger.ts): its type, message, the fields that say what failed (SQLSTATE code,
 * constraint, table, system call), a few stack frames and its causes. Never the data a
 * statement carried: drizzle's DrizzleQueryError and the drivers' own errors hold the SQL
 * text and every parameter (a failed batch names tens of thousands of reported domains, a
 * delisting insert the requester's contact), and PostgreSQL's `detail` repeats the row
 * ("Key (domain)=(…)", "Failing row contains (…)"). So fields are kept by name, not dropped
 * by name, and a failed query is named by its kind and table alone (`insert "reports"`).
 */
import { DrizzleQueryError } from 'drizzle-orm';

/** Fields that describe a failure without repeating its data (postgres.js, PGlite and Node spell them). */
const KEPT = [
  'code',
  'errno',
  'syscall',
  'severity',
  'constraint',
  'constraint_name',
  'table',
  'table_name',
  'column',
  'column_name',
  'schema',
  'schema_name',
  'routine',
] as const;

const MAX_MESSAGE = 500;
const MAX_FRAMES = 12;
const MAX_CAUSES = 4;

/** A statement's kind and its first table, from its text: `insert "reports"`, `select "credentials"`. */
export function statementKind(query: string): string {
  const verb = /^\s*([a-z]+)/i.exec(query)?.[1]?.toLowerCase() ?? 'statement';
  const table = /\b(?:from|into|update|join)\s+("[a-z_][a-z0-9_]{0,62}"|[a-z_][a-z0-9_]{0,62})/i.exec(query)?.[1];
  return table ? `${verb} ${table}` : verb;
}

/** The SQL of drizzle's wrapper of a failed query (whose message is that SQL and its parameters), else null. */
const failedQuery = (error: Error): string | null => (error instanceof DrizzleQueryError ? error.query : null);

/** The message, without the statement and its parameters where drizzle put them there. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, MAX_MESSAGE);
  const query = failedQuery(error);
  return query === null ? error.message.slice(0, MAX_MESSAGE) : `failed query: ${statementKind(query)}`;
}

/** The stack's frames under a first line of our own: V8's first line repeats the whole message. */
function frames(error: Error, type: string, message: string): string | undefined {
  if (!error.stack) return undefined;
  const at = error.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_FRAMES);
  return [`${type}: ${message}`, ...at].join('\n');
}

/** An error as a plain object to log; anything else is returned as it is. */
export function loggedError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  // DrizzleQueryError and PGlite's DatabaseError keep the generic name ('Error', 'error').
  const type = /^error$/i.test(error.name) && error.constructor.name !== 'Object' ? error.constructor.name : error.name;
  const message = errorMessage(error);
  const out: Record<string, unknown> = { type, message };
  for (const key of KEPT) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = String(value).slice(0, 200);
  }
  const query = failedQuery(error);
  if (query !== null) out.statement = statementKind(query);
  out.stack = frames(error, type, message);
  if (depth < MAX_CAUSES) {
    if (error.cause !== undefined)
      out.cause = error.cause instanceof Error ? loggedError(error.cause, depth + 1) : errorMessage(error.cause);
    // A connection tried at several addresses fails with one error per address.
    if (error instanceof AggregateError)
      out.errors = error.errors
        .slice(0, 4)
        .map((inner: unknown) => (inner instanceof Error ? loggedError(inner, depth + 1) : errorMessage(inner)));
  }
  return out;
}
