/** Withholdings of upstream entries on a national instance (issue 17), decided by analysts. */
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { listKeyParam, reasonInput } from '../../schemas/domains.ts';
import { withholdingDecision, withholdingInput } from '../../schemas/withholdings.ts';
import { liftWithholding, withholdDomain } from '../../services/withholdings.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

export function registerWithholdings(app: App, deps: Deps): void {
  const analysts = requireRoles(deps, 'analyst', 'admin');

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/domains/{listKey}/withholding',
      operationId: 'withholdDomain',
      tags: ['domains'],
      summary: "Withhold an upstream entry from this country's list (national instances; from the next build)",
      middleware: [analysts],
      request: { params: listKeyParam, body: jsonBody(withholdingInput) },
      responses: { 201: jsonContent(withholdingDecision, 'Withheld'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(
        await withholdDomain(deps, {
          caller: callerOf(c),
          input: { listKey: c.req.valid('param').listKey, ...c.req.valid('json') },
        }),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/domains/{listKey}/withholding',
      operationId: 'liftWithholding',
      tags: ['domains'],
      summary: 'Lift a withholding: the upstream entry is on the national list again from the next build',
      middleware: [analysts],
      request: { params: listKeyParam, body: jsonBody(reasonInput) },
      responses: { 200: jsonContent(withholdingDecision, 'Lifted'), ...problems(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(
        await liftWithholding(deps, {
          caller: callerOf(c),
          input: { listKey: c.req.valid('param').listKey, reason: c.req.valid('json').reason },
        }),
        200,
      ),
  );
}
