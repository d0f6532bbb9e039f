/** Hono's per-request variables, shared by the middleware and the routes. */
import type { Principal } from '../services/principal.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal | null;
    clientIp: string;
  };
}
