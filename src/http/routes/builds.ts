import { createRoute, z } from '@hono/zod-openapi';
import { criteriaDefinition } from '../../core/criteria.ts';
import type { Deps } from '../../deps.ts';
import { isoOut } from '../../schemas/common.ts';
import { buildSnapshot } from '../../services/build.ts';
import { criteriaHistory, replaceCriteria } from '../../services/criteria.ts';
import { buildRuns, timeToListingOf } from '../../services/overview.ts';
import { principalOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

const timeToListing = z
  .object({
    firstListed: z.number().int().openapi({ description: 'domains this version listed for the first time' }),
    medianSeconds: z
      .number()
      .nullable()
      .openapi({ description: 'their median time from first report (as received) to this version; null when none' }),
    maxSeconds: z.number().nullable().openapi({ description: 'the longest of those times' }),
  })
  .openapi('VersionTimeToListing', {
    description: 'time to listing of the version a build made; a re-listed domain keeps its first listing',
  });

const buildResult = z
  .object({
    version: z.number().int(),
    changed: z.boolean(),
    added: z.number().int(),
    removed: z.number().int(),
    entryCount: z.number().int(),
    durationMs: z.number().int(),
    timeToListing: timeToListing.nullable().openapi({ description: 'null when the build made no new version' }),
  })
  .openapi('BuildResult');

const buildRun = z.object({
  id: z.number().int(),
  trigger: z.string(),
  startedAt: isoOut,
  durationMs: z.number().int(),
  outcome: z.enum(['changed', 'unchanged', 'skipped', 'failed']),
  version: z.number().int().nullable(),
  added: z.number().int(),
  removed: z.number().int(),
  error: z.string().nullable(),
  timeToListing: timeToListing.nullable().openapi({ description: 'null unless the run made its version (changed)' }),
});

const criteriaVersion = z.object({
  version: z.number().int(),
  definition: criteriaDefinition,
  sha256: z.string(),
  active: z.boolean(),
  createdAt: isoOut,
});

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
      const { version, changed, added, removed, entryCount, durationMs } = await buildSnapshot(deps, {
        trigger: 'api',
        actor: principalOf(c).credentialId,
      });
      const waits = changed ? await timeToListingOf(deps, version) : null;
      return c.json({ version, changed, added, removed, entryCount, durationMs, timeToListing: waits }, 200);
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
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(buildRun) }), 'Runs'), ...problems(401, 403) },
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
        200: jsonContent(z.object({ active: criteriaVersion, versions: z.array(criteriaVersion) }), 'Criteria'),
        ...problems(401, 403),
      },
    }),
    async (c) => {
      const versions = await criteriaHistory(deps);
      return c.json({ active: versions.find((v) => v.active)!, versions }, 200);
    },
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
    async (c) => c.json(await replaceCriteria(deps, principalOf(c), c.req.valid('json'), c.get('clientIp')), 201),
  );
}
