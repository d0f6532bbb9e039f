/**
 * RFC 9457 problem+json: the one shape every error answer takes. A database that is down,
 * read-only or too slow is a 503 with Retry-After. Unknown errors become a generic 500 with
 * the request id; their details go to the log, never to the client.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { type DatabaseFailure, databaseFailure } from '../db/errors.ts';
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  type ServiceError,
  UnavailableError,
} from '../services/errors.ts';

export interface Problem {
  status: ContentfulStatusCode;
  code: string;
  title: string;
  detail?: string;
  [extension: string]: unknown;
}

/** A problem raised by the HTTP layer itself (authentication, limits, routing). */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
  }
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

export const problem = (status: ContentfulStatusCode, code: string, detail?: string, extra: object = {}): Problem => ({
  status,
  code,
  title: titles[status] ?? 'Error',
  ...(detail === undefined ? {} : { detail }),
  ...extra,
});

export function problemResponse(c: Context, body: Problem, headers: Record<string, string> = {}): Response {
  const { status, code, ...rest } = body;
  const document = { type: `urn:worstof:problem:${code}`, status, code, ...rest, instance: c.get('requestId') };
  return new Response(JSON.stringify(document), {
    status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': c.get('requestId'), ...headers },
  });
}

/**
 * Zod issues as `{ field, message }`, with the field as a dotted path (`reports.3.url`). Zod
 * reports unknown fields on the object that holds them: each is named on its own instead.
 */
export function zodProblem(error: ZodError, status: 400 | 422 = 400): Problem {
  const field = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(body)';
  const errors = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: field([...issue.path, key]), message: 'unknown field' }))
      : [{ field: field(issue.path), message: issue.message }],
  );
  const first = errors[0];
  const detail = first ? `${first.field}: ${first.message}` : 'the request is not valid';
  return problem(status, 'validation_failed', detail, { errors });
}

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
const databaseProblems: Record<DatabaseFailure, { code: string; detail: string; retryAfterSeconds: number }> = {
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

/** Maps any thrown value to a problem; returns null for errors that are our fault. */
export function toProblem(error: unknown): { body: Problem; headers: Record<string, string> } | null {
  if (error instanceof HttpProblem) return { body: error.problem, headers: error.headers };
  if (error instanceof ZodError) return { body: zodProblem(error), headers: {} };
  for (const [type, status] of serviceStatuses) {
    if (error instanceof type) {
      const headers: Record<string, string> =
        error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
      return { body: problem(status, error.code, error.message, error.detail), headers };
    }
  }
  if (error instanceof HTTPException && error.status < 500) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'body_too_large' : status === 400 ? 'malformed_request' : 'http_error';
    return { body: problem(status, code, error.message || titles[status]), headers: {} };
  }
  const failure = databaseFailure(error);
  if (failure) {
    const { code, detail, retryAfterSeconds } = databaseProblems[failure];
    return { body: problem(503, code, detail), headers: { 'retry-after': String(retryAfterSeconds) } };
  }
  return null;
}
