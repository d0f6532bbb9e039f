/**
 * RFC 9457 problem+json: the one shape every error answer of the API takes, from the failure
 * map (failure.ts) and the request checks. Unknown errors become a generic 500 with the request
 * id; their details go to the log, never to the client.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { failureOf, titleOf } from './failure.ts';

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

export const problem = (status: ContentfulStatusCode, code: string, detail?: string, extra: object = {}): Problem => ({
  status,
  code,
  title: titleOf(status),
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

/** Maps any thrown value to a problem; returns null for errors that are our fault. */
export function toProblem(error: unknown): { body: Problem; headers: Record<string, string> } | null {
  if (error instanceof HttpProblem) return { body: error.problem, headers: error.headers };
  if (error instanceof ZodError) return { body: zodProblem(error), headers: {} };
  const failure = failureOf(error);
  if (!failure) return null;
  return { body: problem(failure.status, failure.code, failure.detail, failure.extra), headers: failure.headers };
}
