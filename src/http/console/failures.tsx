/**
 * How the console answers what went wrong: HTML pages with the status the API would give.
 * A service's typed error carries a message written for the user; anything else gets a
 * generic page with the request id, and its details go to the log only.
 */
import type { Context } from 'hono';
import { ZodError } from 'zod';
import type { Deps } from '../../deps.ts';
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  ServiceError,
  UnavailableError,
} from '../../services/errors.ts';
import type { ConsoleEnv } from './env.ts';
import { homeOf, Layout } from './views/layout.tsx';

type FailureStatus = 400 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 503;

const statusOf = (error: ServiceError): FailureStatus =>
  error instanceof InvalidInputError
    ? 422
    : error instanceof NotFoundError
      ? 404
      : error instanceof ConflictError
        ? 409
        : error instanceof ForbiddenError
          ? 403
          : error instanceof GoneError
            ? 410
            : error instanceof RateLimitedError
              ? 429
              : error instanceof UnavailableError
                ? 503
                : 422;

/** Zod's wording for the checks the console's forms make, in plain words. */
function plainIssue(issue: ZodError['issues'][number]): string {
  if (issue.code === 'too_small' && issue.origin === 'string')
    return `is too short: write at least ${issue.minimum} characters`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `is too long: at most ${issue.maximum} characters`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}

/**
 * A form's failure as a status, a sentence for the page and the field at fault (when it names
 * one), or undefined when it is not the user's to fix.
 */
export function formFailure(
  error: unknown,
): { status: FailureStatus; text: string; field?: string | undefined } | undefined {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.map(String).join('.');
    return {
      status: 422,
      text: issue
        ? `${field ? `${field[0]!.toUpperCase()}${field.slice(1)} ` : ''}${plainIssue(issue)}.`
        : 'The form is not valid.',
      field: field || undefined,
    };
  }
  if (error instanceof ServiceError)
    return {
      status: statusOf(error),
      text: error.message,
      field: typeof error.detail.field === 'string' ? error.detail.field : undefined,
    };
  return undefined;
}

export function forbiddenPage(c: Context<ConsoleEnv>) {
  const user = c.get('user');
  const hasPages = user && ['analyst', 'admin', 'ncb'].includes(user.role);
  return c.html(
    <Layout title="Forbidden" user={user} csrf={c.get('csrf')}>
      <h1>Forbidden</h1>
      <p>{`The ${user?.role ?? 'signed-in'} role may not use this page.`}</p>
      {hasPages ? (
        <p>
          <a href={homeOf(user.role)}>Go to your start page</a>
        </p>
      ) : (
        <p>The console has pages for analysts, admins and NCBs only; your key works with the API.</p>
      )}
    </Layout>,
    403,
  );
}

export function errorPage(c: Context<ConsoleEnv>, status: FailureStatus, title: string, detail: string) {
  return c.html(
    <Layout title={title} user={c.get('user')} csrf={c.get('csrf')}>
      <h1>{title}</h1>
      <p>{detail}</p>
      <p>
        <a href="/console">Back to the console</a>
      </p>
    </Layout>,
    status,
  );
}

export function notFoundPage(c: Context<ConsoleEnv>) {
  return errorPage(c, 404, 'Not found', 'There is no such page in the console.');
}

/** The console's onError: typed failures as their page, the rest as a 500 page and a log line. */
export function consoleErrorHandler(deps: Deps) {
  return (error: Error, c: Context<ConsoleEnv>) => {
    const failure = formFailure(error);
    if (failure) {
      if (error instanceof RateLimitedError) c.header('retry-after', String(error.retryAfterSeconds));
      return errorPage(c, failure.status, failure.status === 404 ? 'Not found' : 'Not done', failure.text);
    }
    deps.log.error({ err: error, requestId: c.get('requestId'), route: c.req.routePath }, 'console error');
    return errorPage(
      c,
      500,
      'Something went wrong',
      `The console could not answer. If it happens again, quote this id: ${c.get('requestId')}.`,
    );
  };
}
