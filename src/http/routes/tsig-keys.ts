/** A credential's TSIG keys for zone transfers: make one (the secret is shown once), list, revoke. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { id } from '../../schemas/common.ts';
import { issuedTsigKey, tsigKey, tsigKeyInput } from '../../schemas/tsig-keys.ts';
import { credentialTsigKeys, issueTsigKey, revokeCredentialTsigKey } from '../../services/tsig-keys.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

const credentialParam = z.object({ id: id.openapi({ param: { name: 'id', in: 'path' }, example: 7 }) });
const keyParam = credentialParam.extend({
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,63}$/, 'expected a TSIG key name as issued')
    .openapi({ param: { name: 'name', in: 'path' }, example: 'wol-isp-7-3f9a2c1b' }),
});

export function registerTsigKeys(app: App, deps: Deps): void {
  const managers = requireRoles(deps, 'admin', 'ncb');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/credentials/{id}/tsig-keys',
      operationId: 'issueTsigKey',
      tags: ['credentials'],
      summary:
        'Make a TSIG key for zone transfers of the RPZ (admin: any ISP or NCB credential; NCB: ISP credentials of its country). The secret is shown once.',
      middleware: [managers],
      request: { params: credentialParam, body: jsonBody(tsigKeyInput) },
      responses: { 201: jsonContent(issuedTsigKey, 'Made'), ...problems(401, 403, 404, 409, 422, 503) },
    }),
    async (c) =>
      c.json(
        await issueTsigKey(deps, {
          caller: callerOf(c),
          input: { credentialId: c.req.valid('param').id, key: c.req.valid('json') },
        }),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/credentials/{id}/tsig-keys',
      operationId: 'listTsigKeys',
      tags: ['credentials'],
      summary: 'A credential’s TSIG keys, without their secrets',
      middleware: [managers],
      request: { params: credentialParam },
      responses: { 200: jsonContent(z.object({ items: z.array(tsigKey) }), 'TSIG keys'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const input = { credentialId: c.req.valid('param').id };
      return c.json({ items: await credentialTsigKeys(deps, { caller: callerOf(c), input }) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/credentials/{id}/tsig-keys/{name}',
      operationId: 'revokeTsigKey',
      tags: ['credentials'],
      summary: 'Revoke a TSIG key at once',
      middleware: [managers],
      request: { params: keyParam },
      responses: { 200: jsonContent(tsigKey, 'Revoked'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { id: credentialId, name } = c.req.valid('param');
      return c.json(await revokeCredentialTsigKey(deps, { caller: callerOf(c), input: { credentialId, name } }), 200);
    },
  );
}
