/** What the console's middleware and pages share: per-request variables and the console's own state. */
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../services/sessions.ts';
import type { AppEnv } from '../env.ts';
import type { FormFlash } from './flash.ts';
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
