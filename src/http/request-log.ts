/**
 * One JSON log line and one metrics sample per request, after the answer is made (errors
 * included: onError has turned them into an answer by then). The route is the matched
 * pattern (`/v1/domains/:listKey`), never the path: a path may name a listed domain, and the
 * Authorization header is never read here. The actor is the credential's id.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Deps } from '../deps.ts';
import type { AppEnv } from './env.ts';

/**
 * The pattern of the route that answered: the handler dispatched last (`/v1/list/manifest`
 * also matches `/v1/list/:file`, registered after it). Middleware for every route (method
 * ALL) answering means no route matched.
 */
export function routePattern(c: Context): string {
  const route = matchedRoutes(c)[c.req.routeIndex];
  return route && route.method !== 'ALL' ? route.path : 'unmatched';
}

export function requestLog(deps: Pick<Deps, 'log' | 'metrics'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = routePattern(c);
      const { method } = c.req;
      const status = c.res.status;
      deps.metrics?.request({ method, route, status, seconds });
      deps.log.info(
        {
          requestId: c.get('requestId'),
          method,
          route,
          status,
          durationMs: Math.round(seconds * 1e4) / 10,
          credentialId: c.get('principal')?.credentialId ?? null,
        },
        'request',
      );
    }
  };
}
