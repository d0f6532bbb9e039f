/**
 * Post/redirect/get for every form: a form's outcome (an error with what was typed, or a
 * new key to show once) travels to the page it redirects to in a short-lived sealed cookie,
 * read and deleted by that page. Reloading the page never sends the form again, and the key
 * is gone from the browser after the one page that shows it.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { type ConsoleEnv, type ConsoleKit, type FormFlash, isSecure } from './env.ts';
import { formFailure } from './failures.tsx';
import { seal, unseal } from './sealed.ts';

const FLASH_SECONDS = 300;

const cookieName = (secure: boolean) => (secure ? '__Secure-wol_flash' : 'wol_flash');

/** Leaves `flash` for the next page and redirects there (303: the browser follows with a GET). */
export function redirectWith(kit: ConsoleKit, c: Context<ConsoleEnv>, to: string, flash: FormFlash) {
  const secure = isSecure(kit, c);
  setCookie(c, cookieName(secure), seal(kit.deps.sessionSecret, 'flash', JSON.stringify(flash)), {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/console',
    maxAge: FLASH_SECONDS,
  });
  return c.redirect(to, 303);
}

/**
 * A refused form back to its page with the reason, the field at fault and what was typed
 * (except the CSRF token); anything that is not the user's to fix is thrown on.
 */
export function redirectFailure(
  kit: ConsoleKit,
  c: Context<ConsoleEnv>,
  to: string,
  error: unknown,
  form: string,
  typed: Record<string, unknown>,
) {
  const failure = formFailure(error);
  if (!failure) throw error;
  const values = Object.fromEntries(
    Object.entries(typed).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'),
  );
  return redirectWith(kit, c, to, { kind: 'error', text: failure.text, field: failure.field, form, values });
}

/** The flash a form left for this page, deleted as it is read. */
export function takeFlash(kit: ConsoleKit, c: Context<ConsoleEnv>): FormFlash | undefined {
  const secure = isSecure(kit, c);
  const token = getCookie(c, cookieName(secure));
  if (!token) return undefined;
  deleteCookie(c, cookieName(secure), { path: '/console', secure });
  const text = unseal(kit.deps.sessionSecret, 'flash', token);
  return text === null ? undefined : (JSON.parse(text) as FormFlash);
}
