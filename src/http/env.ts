/** Hono's per-request variables and the app type, shared by the middleware and the routes. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../services/principal.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal | null;
    clientIp: string;
  };
}

export type App = OpenAPIHono<AppEnv>;
