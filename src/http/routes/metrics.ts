/**
 * GET /metrics: the Prometheus exposition. A scraper at an address WOL_METRICS_ALLOW names
 * needs no key; anyone else needs an admin key (401 without a valid key, 403 for another role).
 * Only the Node runtime keeps metrics; elsewhere an allowed caller gets 404.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { addressAllowed } from '../../core/address-list.ts';
import type { Deps } from '../../deps.ts';
import { resolvePrincipal } from '../auth.ts';
import type { App, AppEnv } from '../env.ts';
import { problems } from '../openapi.ts';
import { HttpProblem, problem } from '../problem.ts';

function scrapers(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!addressAllowed(deps.config.WOL_METRICS_ALLOW, c.get('clientIp'))) {
      const principal = await resolvePrincipal(deps, c.req.header('authorization'));
      if (principal.role !== 'admin')
        throw new HttpProblem(problem(403, 'forbidden', 'metrics are for admin keys and allowed addresses'));
      c.set('principal', principal);
    }
    await next();
  };
}

export function registerMetrics(app: App, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      tags: ['operations'],
      summary: 'Metrics in the Prometheus text format (admin key, or an address in WOL_METRICS_ALLOW)',
      middleware: [scrapers(deps)],
      responses: {
        200: { description: 'The exposition', content: { 'text/plain': { schema: z.string() } } },
        ...problems(401, 403, 404),
      },
    }),
    async (c) => {
      if (!deps.metrics) throw new HttpProblem(problem(404, 'metrics_unavailable', 'this runtime keeps no metrics'));
      const { contentType, body } = await deps.metrics.render();
      return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' }) as never;
    },
  );
}
