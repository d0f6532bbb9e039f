/** What the console's middleware and pages share: per-request variables and the console's own state. */
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../services/sessions.ts';
import type { AppEnv } from '../env.ts';
import type { FixedWindowLimiter } from '../rate-limit.ts';
import type { Session } from './session.ts';

export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & {
    /** Set by requireUser for every page behind the sign-in. */
    user: SessionUser;
    session: Session;
    /** The session's CSRF token, for the hidden field of every form. */
    csrf: string;
  };
}

export interface ConsoleKit {
  deps: Deps;
  /** Signs session JWTs and derives CSRF tokens. */
  secret: Uint8Array;
  /** Sign-in attempts per client address. */
  signInLimiter: FixedWindowLimiter;
}
