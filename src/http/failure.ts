/**
 * The one failure map: what a thrown error means to the client, as a status, a code and a
 * sentence it may read. The API writes it as problem+json (problem.ts), the console as a page
 * (console/failures.tsx). A database that is down, read-only or too slow is a 503 with
 * Retry-After. Null means the error is ours: each surface answers it with a generic 500 and
 * logs the details.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  ConflictError,
  type DatabaseFailure,
  databaseFailure,
  ForbiddenError,
  GoneError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  type ServiceError,
  UnavailableError,
} from '../services/errors.ts';

export interface Failure {
  status: ContentfulStatusCode;
  code: string;
  title: string;
  /** Written for the client: a service's message, or what a passing failure means to it. */
  detail: string;
  /** Extension members (for example the field at fault). */
  extra: Record<string, unknown>;
  headers: Record<string, string>;
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export const titleOf = (status: number): string => titles[status] ?? 'Error';

/**
 * A ServiceError of a class not named here is a mistake of ours (a new class nobody mapped):
 * it gets the generic 500 and a log line, not a status that blames the client.
 */
const serviceStatuses: [new (...args: never[]) => ServiceError, ContentfulStatusCode][] = [
  [InvalidInputError, 422],
  [NotFoundError, 404],
  [ForbiddenError, 403],
  [ConflictError, 409],
  [GoneError, 410],
  [UnavailableError, 503],
  [RateLimitedError, 429],
];

/** Failures that pass, as the client sees them: its request was fine, it may send it again. */
const databaseFailures: Record<DatabaseFailure, { code: string; detail: string; retryAfterSeconds: number }> = {
  unavailable: {
    code: 'database_unavailable',
    detail: 'the database cannot be reached just now; try again later',
    retryAfterSeconds: 5,
  },
  // A standby, or a failover under way: that takes longer than a restart. Reads still work.
  read_only: {
    code: 'database_read_only',
    detail: 'the database accepts no changes just now; reads still work; try again later',
    retryAfterSeconds: 30,
  },
  timeout: {
    code: 'database_timeout',
    detail: 'the database did not answer in time; try again later',
    retryAfterSeconds: 5,
  },
  // What is left once inTransaction has run the transaction again a few times.
  contention: {
    code: 'database_busy',
    detail: 'other requests were changing the same data; try again',
    retryAfterSeconds: 1,
  },
};

const failure = (
  status: ContentfulStatusCode,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Failure => ({ status, code, title: titleOf(status), detail, extra, headers });

/** A service's typed error, Hono's own 4xx and the database's passing failures; null for the rest. */
export function failureOf(error: unknown): Failure | null {
  for (const [type, status] of serviceStatuses) {
    if (error instanceof type) {
      const headers: Record<string, string> =
        error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
      return failure(status, error.code, error.message, error.detail, headers);
    }
  }
  if (error instanceof HTTPException && error.status < 500) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'body_too_large' : status === 400 ? 'malformed_request' : 'http_error';
    return failure(status, code, error.message || titleOf(status));
  }
  const passing = databaseFailure(error);
  if (passing) {
    const { code, detail, retryAfterSeconds } = databaseFailures[passing];
    return failure(503, code, detail, {}, { 'retry-after': String(retryAfterSeconds) });
  }
  return null;
}
