/** /v1/organisations: the organisations that report, assess, redistribute and pull. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { organisation, organisationInput } from '../../schemas/organisations.ts';
import { createOrganisation, visibleOrganisations } from '../../services/organisations.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

export function registerOrganisations(app: App, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/organisations',
      operationId: 'createOrganisation',
      tags: ['organisations'],
      summary: 'Create an organisation (admin)',
      middleware: [requireRoles(deps, 'admin')],
      request: { body: jsonBody(organisationInput) },
      responses: { 201: jsonContent(organisation, 'Created'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await createOrganisation(deps, { caller: callerOf(c), input: c.req.valid('json') }), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/organisations',
      operationId: 'listOrganisations',
      tags: ['organisations'],
      summary: 'List organisations (an NCB sees the ISPs of its country)',
      middleware: [requireRoles(deps, 'admin', 'analyst', 'ncb')],
      responses: {
        200: jsonContent(z.object({ items: z.array(organisation) }), 'Organisations'),
        ...problems(401, 403),
      },
    }),
    async (c) => c.json({ items: await visibleOrganisations(deps, { caller: callerOf(c) }) }, 200),
  );
}
