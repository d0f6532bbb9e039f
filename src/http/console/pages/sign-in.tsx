/**
 * Sign-in and sign-out. An API key is exchanged for a session cookie; the answer to a bad
 * key is "invalid key" whatever the reason (unknown, revoked, expired, malformed). Failed
 * attempts are limited per client address, checked before the key is even looked at;
 * successful ones count nothing, so a team behind one office address is never locked out by
 * signing in.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { roles } from '../../../core/vocabulary.ts';
import { signIn } from '../../../services/sessions.ts';
import { requestCaller } from '../../auth.ts';
import { addressKey } from '../../rate-limit.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { isSecure } from '../env.ts';
import { requireUser, safeNext, sessionCookie, signInCookie } from '../guard.tsx';
import { csrfMatches, csrfToken, issueSession, randomId } from '../session.ts';
import { type Flash, homeOf, Layout } from '../views/layout.tsx';

const KEY_MAX_LENGTH = 200;
const SIGN_IN_FORM_SECONDS = 3600;

function signInForm(
  kit: ConsoleKit,
  c: Context<ConsoleEnv>,
  status: 200 | 400 | 403 | 429,
  flash?: Flash,
  next?: string,
) {
  const secure = isSecure(kit, c);
  const id = randomId();
  setCookie(c, signInCookie(secure), id, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/console',
    maxAge: SIGN_IN_FORM_SECONDS,
  });
  return c.html(
    <Layout title="Sign in" flash={flash}>
      <div class="card signin">
        <h1>Sign in</h1>
        <form method="post" action="/console/sign-in" class="stack">
          <input type="hidden" name="_csrf" value={csrfToken(kit.deps.sessionSecret, 'sign-in', id)} />
          {next && <input type="hidden" name="next" value={next} />}
          <label for="key">API key</label>
          <input
            id="key"
            name="key"
            type="password"
            required
            autocomplete="off"
            spellcheck={false}
            maxlength={KEY_MAX_LENGTH}
            aria-describedby="key-hint"
          />
          <p id="key-hint" class="hint">
            Your analyst, admin or NCB key (it starts with <code>wol_</code>). The session lasts{' '}
            {Math.round(kit.deps.config.WOL_SESSION_TTL / 360) / 10} hours at most.
          </p>
          <div>
            <button type="submit">Sign in</button>
          </div>
        </form>
      </div>
    </Layout>,
    status,
  );
}

export function registerSignIn(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const { deps } = kit;

  ui.get('/sign-in', (c) => {
    const next = safeNext(c.req.query('next'));
    const flash: Flash | undefined = c.req.query('ended')
      ? { kind: 'error', text: 'Your session has ended (it expired, or its key was revoked). Sign in again.' }
      : c.req.query('signed-out')
        ? { kind: 'ok', text: 'You are signed out.' }
        : undefined;
    return signInForm(kit, c, 200, flash, next);
  });

  ui.post('/sign-in', async (c) => {
    const address = addressKey(c.get('clientIp'));
    const verdict = deps.limits.signIn.check(address, deps.clock().getTime());
    if (!verdict.allowed) {
      c.header('retry-after', String(verdict.retryAfterSeconds));
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      return signInForm(kit, c, 429, {
        kind: 'error',
        text: `Too many failed sign-ins from your address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      });
    }
    const secure = isSecure(kit, c);
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    const formId = getCookie(c, signInCookie(secure));
    const failed = () => deps.limits.signIn.take(address, deps.clock().getTime());
    if (!formId || !csrfMatches(deps.sessionSecret, 'sign-in', formId, form._csrf))
      return signInForm(
        kit,
        c,
        400,
        {
          kind: 'error',
          text: 'The sign-in form had expired or was not sent by this site. Please try again.',
        },
        next,
      );
    const key = typeof form.key === 'string' && form.key.length <= KEY_MAX_LENGTH ? form.key : '';
    const principal = key ? await signIn(deps, { caller: requestCaller(c, null), input: { token: key } }) : null;
    if (!principal) {
      failed();
      return signInForm(kit, c, 400, { kind: 'error', text: 'Invalid key.' }, next);
    }
    if (principal.role !== 'analyst' && principal.role !== 'admin' && principal.role !== 'ncb')
      return signInForm(kit, c, 403, {
        kind: 'error',
        text: `The console has no pages for the ${principal.role} role; your key works with the API.`,
      });
    const token = await issueSession(
      deps.sessionSecret,
      principal.credentialId,
      deps.clock(),
      deps.config.WOL_SESSION_TTL,
    );
    deleteCookie(c, signInCookie(secure), { path: '/console', secure });
    setCookie(c, sessionCookie(secure), token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure,
      path: '/console',
      maxAge: deps.config.WOL_SESSION_TTL,
    });
    return c.redirect(next ?? homeOf(principal.role), 303);
  });

  ui.post('/sign-out', requireUser(kit, ...roles), (c) => {
    deleteCookie(c, sessionCookie(isSecure(kit, c)), { path: '/console', secure: isSecure(kit, c) });
    return c.redirect('/console/sign-in?signed-out=1', 303);
  });
}
