/** What is already known about a URL or key (issue 21): reporters get it with each submission, analysts here for any. */
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { knownQuery, knownSummary } from '../../schemas/known.ts';
import { lookUpKnown } from '../../services/known.ts';
import { requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonContent, problems } from '../openapi.ts';

export function registerKnown(app: App, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/known',
      operationId: 'getKnown',
      tags: ['reports'],
      summary: 'What is known about a URL and its list key, as intake answers it (counts, no organisation named)',
      middleware: [requireRoles(deps, 'analyst', 'admin')],
      request: { query: knownQuery },
      responses: { 200: jsonContent(knownSummary, 'What is known'), ...problems(400, 401, 403, 422) },
    }),
    async (c) => c.json(await lookUpKnown(deps, c.req.valid('query').url), 200),
  );
}
