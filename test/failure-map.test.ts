/**
 * The one failure map both surfaces answer from: the API's problem+json and the console's pages
 * give a typed error, Hono's own 4xx and a passing database failure the same status, and leave
 * what is ours (a ServiceError of no known class, anything else) to their generic 500.
 */
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { formFailure } from '../src/http/console/failures.tsx';
import { failureOf } from '../src/http/failure.ts';
import { toProblem } from '../src/http/problem.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  ServiceError,
  UnavailableError,
} from '../src/services/errors.ts';

const readOnly = Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' });

describe('failureOf', () => {
  it('maps each typed error to its status, with the message and the field for the client', () => {
    expect(failureOf(new InvalidInputError('bad', 'no good', { field: 'url' }))).toEqual({
      status: 422,
      code: 'bad',
      title: 'Unprocessable content',
      detail: 'no good',
      extra: { field: 'url' },
      headers: {},
    });
    expect(failureOf(new NotFoundError('x', 'x'))?.status).toBe(404);
    expect(failureOf(new ConflictError('x', 'x'))?.status).toBe(409);
    expect(failureOf(new UnavailableError('x', 'x'))?.status).toBe(503);
    expect(failureOf(new RateLimitedError(7))).toMatchObject({ status: 429, headers: { 'retry-after': '7' } });
  });

  it('maps a passing database failure to a 503 with Retry-After, and leaves ours to the 500', () => {
    expect(failureOf(readOnly)).toMatchObject({
      status: 503,
      code: 'database_read_only',
      headers: { 'retry-after': '30' },
    });
    expect(failureOf(new HTTPException(413))).toMatchObject({ status: 413, code: 'body_too_large' });
    expect(failureOf(new ServiceError('unmapped', 'a class nobody mapped'))).toBeNull();
    expect(failureOf(new Error('boom'))).toBeNull();
  });

  it('gives the API and the console the same status', () => {
    for (const error of [new NotFoundError('x', 'gone'), new RateLimitedError(3), readOnly]) {
      const status = toProblem(error)?.body.status;
      expect(status).toBe(failureOf(error)?.status);
    }
    expect(formFailure(new NotFoundError('x', 'no such thing'))).toEqual({
      status: 404,
      text: 'no such thing',
      field: undefined,
      headers: {},
    });
    // Not the user's to fix: a form does not show it; the console's error page does (503).
    expect(formFailure(readOnly)).toBeUndefined();
    expect(formFailure(new ServiceError('unmapped', 'a class nobody mapped'))).toBeUndefined();
  });
});
