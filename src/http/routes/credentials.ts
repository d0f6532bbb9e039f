/** /v1/credentials: issuing and revoking API keys (an NCB issues its country's ISP keys). */
import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { idParam } from '../../schemas/common.ts';
import { credential, credentialInput, issuedCredential } from '../../schemas/credentials.ts';
import { issueCredential, revokeCredential, visibleCredentials } from '../../services/credentials.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

export function registerCredentials(app: App, deps: Deps): void {
  const issuers = requireRoles(deps, 'admin', 'ncb');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/credentials',
      operationId: 'issueCredential',
      tags: ['credentials'],
      summary: 'Issue an API key (admin: any role; NCB: isp keys for ISPs of its country). The token is shown once.',
      middleware: [issuers],
      request: { body: jsonBody(credentialInput) },
      responses: { 201: jsonContent(issuedCredential, 'Issued'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await issueCredential(deps, { caller: callerOf(c), input: c.req.valid('json') }), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/credentials',
      operationId: 'listCredentials',
      tags: ['credentials'],
      summary: 'List credentials without their tokens (an NCB sees those it issued)',
      middleware: [issuers],
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(credential) }), 'Credentials'), ...problems(401, 403) },
    }),
    async (c) =>
      c.json({ items: await visibleCredentials(deps, { caller: callerOf(c), input: c.req.valid('query') }) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/credentials/{id}',
      operationId: 'revokeCredential',
      tags: ['credentials'],
      summary: 'Revoke a credential at once (admin, or the NCB that issued it)',
      middleware: [issuers],
      request: { params: idParam },
      responses: { 200: jsonContent(credential.omit({}), 'Revoked'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { tokenHash: _hidden, ...row } = await revokeCredential(deps, {
        caller: callerOf(c),
        input: c.req.valid('param'),
      });
      return c.json(row, 200);
    },
  );
}
