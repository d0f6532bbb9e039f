/**
 * The console's gatekeeping, in the order it runs: security headers on every answer; for
 * every POST a small body limit and an Origin check; for every page behind the sign-in the
 * session (cookie -> JWT -> the credential, looked up again), the role, and for a POST the
 * form's CSRF token. Failures answer HTML pages, never problem+json.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { Role } from '../../core/vocabulary.ts';
import type { Caller } from '../../services/caller.ts';
import { sessionUser } from '../../services/sessions.ts';
import { requestCaller } from '../auth.ts';
import { type ConsoleEnv, type ConsoleKit, isSecure } from './env.ts';
import { errorPage, forbiddenPage } from './failures.tsx';
import { takeFlash } from './flash.ts';
import { csrfMatches, csrfToken, readSession } from './session.ts';

/** No script anywhere; styles only from our own stylesheet; no framing; forms post only to us. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const FORM_MAX_BYTES = 64 * 1024;

export function securityHeaders(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    if (!h.has('cache-control')) h.set('cache-control', 'no-store');
    h.set('content-security-policy', CONTENT_SECURITY_POLICY);
    h.set('x-content-type-options', 'nosniff');
    h.set('x-frame-options', 'DENY');
    h.set('referrer-policy', 'same-origin');
    h.set('cross-origin-opener-policy', 'same-origin');
  };
}

export const sessionCookie = (secure: boolean) => (secure ? '__Secure-wol_session' : 'wol_session');
export const signInCookie = (secure: boolean) => (secure ? '__Secure-wol_sign_in' : 'wol_sign_in');

/** POSTs: bounded bodies, and an Origin (when the browser sends one) that is this site's. */
export function postChecks(kit: ConsoleKit): MiddlewareHandler<ConsoleEnv> {
  const limit = bodyLimit({
    maxSize: FORM_MAX_BYTES,
    onError: (c) => errorPage(c, 413, 'Form too large', 'The form was larger than the console accepts.'),
  });
  const publicOrigin = kit.deps.config.WOL_PUBLIC_URL ? new URL(kit.deps.config.WOL_PUBLIC_URL).origin : null;
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin && origin !== publicOrigin)
      return errorPage(c, 403, 'Form refused', 'The form was sent from another site, so it was not accepted.');
    return limit(c, next);
  };
}

/** Only a path inside the console: anything else would make the sign-in an open redirect. */
export const safeNext = (next: unknown): string | undefined =>
  typeof next === 'string' && /^\/console(?:[/?][^\\\s]*)?$/.test(next) && next.length <= 2000 ? next : undefined;

/** The console page a form was sent from (the Referer, same origin only), to return to after signing in again. */
function formPage(c: Context<ConsoleEnv>): string | undefined {
  const referer = c.req.header('referer');
  if (!referer) return undefined;
  try {
    const from = new URL(referer);
    return from.origin === new URL(c.req.url).origin ? safeNext(from.pathname + from.search) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pages behind the sign-in. No valid session: to the sign-in page (with `ended` when a
 * cookie was there but its session or key no longer holds, and `next`, the page asked for or
 * the page a form was sent from). A role without this page: 403.
 */
export function requireUser(kit: ConsoleKit, ...roles: Role[]): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const secure = isSecure(kit, c);
    const token = getCookie(c, sessionCookie(secure));
    const session = token ? await readSession(kit.deps.sessionSecret, token, kit.deps.clock()) : null;
    const user = session ? await sessionUser(kit.deps, session.credentialId) : null;
    if (!session || !user) {
      if (token) deleteCookie(c, sessionCookie(secure), { path: '/console', secure });
      const query = new URLSearchParams();
      if (token) query.set('ended', '1');
      // A form sent after the session ended returns to its page once signed in again.
      const next = c.req.method === 'GET' ? new URL(c.req.url).pathname + new URL(c.req.url).search : formPage(c);
      if (next) query.set('next', next);
      const search = query.toString();
      return c.redirect(`/console/sign-in${search ? `?${search}` : ''}`, 303);
    }
    c.set('user', user);
    c.set('session', session);
    c.set('csrf', csrfToken(kit.deps.sessionSecret, 'session', session.id));
    if (!roles.includes(user.role)) return forbiddenPage(c);
    if (c.req.method === 'GET') c.set('flash', takeFlash(kit, c));
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!csrfMatches(kit.deps.sessionSecret, 'session', session.id, form._csrf))
        return errorPage(
          c,
          403,
          'Form expired',
          'The form could not be verified (it is from another session, or was not sent by this site). Go back, reload the page and try again.',
        );
    }
    await next();
  };
}

/** The caller of a verb from a page behind the sign-in: the signed-in user, with this request's address and id. */
export const userCaller = (c: Context<ConsoleEnv>): Caller => requestCaller(c, c.get('user'));
