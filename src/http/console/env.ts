/** What the console's middleware and pages share: per-request variables, the console's own state, a form's flash, and whether its cookies must be Secure. */

import type { Context } from 'hono';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../services/sessions.ts';
import type { AppEnv } from '../env.ts';
import type { ConsoleRefs } from './refs.ts';
import type { Session } from './session.ts';

export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & {
    /** Set by requireUser for every page behind the sign-in. */
    user: SessionUser;
    session: Session;
    /** The session's CSRF token, for the hidden field of every form. */
    csrf: string;
    /** What the form that redirected here left for this page (GETs only). */
    flash: FormFlash | undefined;
  };
}

export interface ConsoleKit {
  deps: Deps;
  /** Links and query parameters that keep domain names out of URLs. */
  refs: ConsoleRefs;
}

/** A form's outcome, carried to the page it redirects to (flash.ts). */
export interface FormFlash {
  kind: 'ok' | 'error';
  text: string;
  /** The form it is about (its id on the page), so only that form shows the error and the values. */
  form?: string | undefined;
  /** The field at fault, where the failure names one. */
  field?: string | undefined;
  /** What was typed, to fill the form again. */
  values?: Record<string, string> | undefined;
  /** An NCB's new ISP key, shown once. */
  issued?: { token: string; organisationId: number | null } | undefined;
}

/** Whether cookies must be Secure: the request came over https, or the public URL is https. */
export function isSecure(kit: ConsoleKit, c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || kit.deps.config.WOL_PUBLIC_URL?.startsWith('https:') === true;
}
