/** GET /healthz: 200 when the database answers, 503 otherwise. Open to anyone; reveals nothing. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { databaseAnswers } from '../../services/health.ts';
import type { App } from '../env.ts';
import { problem, problemResponse } from '../problem.ts';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['operations'],
  summary: 'Liveness and database reachability',
  security: [],
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
    503: { description: 'The database does not answer' },
  },
});

export function registerHealth(app: App, deps: Deps): void {
  app.openapi(health, async (c) => {
    if (!(await databaseAnswers(deps)))
      return problemResponse(c, problem(503, 'database_unreachable', 'the database does not answer')) as never;
    return c.json({ status: 'ok' as const }, 200);
  });
}
