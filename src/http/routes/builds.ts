/** Builds (run one, list the runs) and the criteria they apply (read, replace). */
import { createRoute, z } from '@hono/zod-openapi';
import { criteriaDefinition } from '../../core/criteria.ts';
import type { Deps } from '../../deps.ts';
import { buildResult, buildRunList, buildRunsQuery } from '../../schemas/builds.ts';
import { criteriaVersion, criteriaVersions } from '../../schemas/criteria.ts';
import { buildSnapshot } from '../../services/build.ts';
import { criteriaHistory, replaceCriteria } from '../../services/criteria.ts';
import { buildRuns, timeToListingOf } from '../../services/overview.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

export function registerBuilds(app: App, deps: Deps): void {
  const analysts = requireRoles(deps, 'analyst', 'admin');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/builds',
      operationId: 'runBuild',
      tags: ['builds'],
      summary: 'Build now: a new signed version if the entry set changed; the timestamp is refreshed either way',
      middleware: [analysts],
      request: { body: { required: false, content: { 'application/json': { schema: z.object({}) } } } },
      responses: { 200: jsonContent(buildResult, 'The build'), ...problems(401, 403, 503) },
    }),
    async (c) => {
      const result = await buildSnapshot(deps, { caller: callerOf(c), input: { trigger: 'api' } });
      const waits = result.changed ? await timeToListingOf(deps, result.version) : null;
      return c.json({ ...result, timeToListing: waits }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/builds',
      operationId: 'listBuilds',
      tags: ['builds'],
      summary: 'Recent build runs with their outcome',
      middleware: [analysts],
      request: { query: buildRunsQuery },
      responses: { 200: jsonContent(buildRunList, 'Runs'), ...problems(401, 403) },
    }),
    async (c) => c.json({ items: await buildRuns(deps, c.req.valid('query').limit) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/criteria',
      operationId: 'getCriteria',
      tags: ['criteria'],
      summary: 'The active criteria set and every earlier version',
      middleware: [analysts],
      responses: {
        200: jsonContent(criteriaVersions, 'Criteria'),
        ...problems(401, 403),
      },
    }),
    async (c) => c.json(await criteriaHistory(deps), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/criteria',
      operationId: 'setCriteria',
      tags: ['criteria'],
      summary: 'Replace the criteria with a new version (admin); it applies from the next build',
      middleware: [requireRoles(deps, 'admin')],
      request: { body: jsonBody(criteriaDefinition) },
      responses: { 201: jsonContent(criteriaVersion, 'The new version'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await replaceCriteria(deps, { caller: callerOf(c), input: c.req.valid('json') }), 201),
  );
}
