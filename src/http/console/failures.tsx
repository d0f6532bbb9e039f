/**
 * How the console answers what went wrong: HTML pages with the status the API would give,
 * from the same failure map (http/failure.ts). A service's typed error carries a message
 * written for the user; a database that is down or slow gets a page saying so; anything else
 * gets a generic page with the request id, and its details go to the log only.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { Deps } from '../../deps.ts';
import { ServiceError } from '../../services/errors.ts';
import { failureOf } from '../failure.ts';
import type { ConsoleEnv } from './env.ts';
import { homeOf, Layout } from './views/layout.tsx';

/** Zod's wording for the checks the console's forms make, in plain words. */
function plainIssue(issue: ZodError['issues'][number]): string {
  if (issue.code === 'too_small' && issue.origin === 'string')
    return `is too short: write at least ${issue.minimum} characters`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `is too long: at most ${issue.maximum} characters`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}

/**
 * A form's failure as a status, a sentence for the page, the field at fault (when it names
 * one) and the headers to send (Retry-After), or undefined when it is not the user's to fix.
 */
export function formFailure(
  error: unknown,
):
  | { status: ContentfulStatusCode; text: string; field?: string | undefined; headers: Record<string, string> }
  | undefined {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.map(String).join('.');
    return {
      status: 422,
      text: issue
        ? `${field ? `${field[0]!.toUpperCase()}${field.slice(1)} ` : ''}${plainIssue(issue)}.`
        : 'The form is not valid.',
      field: field || undefined,
      headers: {},
    };
  }
  const failure = error instanceof ServiceError ? failureOf(error) : null;
  if (!failure) return undefined;
  const field = failure.extra.field;
  return {
    status: failure.status,
    text: failure.detail,
    field: typeof field === 'string' ? field : undefined,
    headers: failure.headers,
  };
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

export function errorPage(c: Context<ConsoleEnv>, status: ContentfulStatusCode, title: string, detail: string) {
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

/**
 * The console's onError: the user's failures as their page, a database that is down or slow as
 * a 503 page (and a warning: the operator still needs the cause), the rest as a 500 page and a
 * log line.
 */
export function consoleErrorHandler(deps: Deps) {
  return (error: Error, c: Context<ConsoleEnv>) => {
    const form = formFailure(error);
    if (form) {
      for (const [name, value] of Object.entries(form.headers)) c.header(name, value);
      return errorPage(c, form.status, form.status === 404 ? 'Not found' : 'Not done', form.text);
    }
    const failure = failureOf(error);
    if (failure) {
      if (failure.status >= 500)
        deps.log.warn({ err: error, requestId: c.get('requestId'), route: c.req.routePath }, failure.code);
      for (const [name, value] of Object.entries(failure.headers)) c.header(name, value);
      return errorPage(c, failure.status, failure.title, failure.detail);
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
