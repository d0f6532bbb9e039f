/** Webhooks: where NCBs (and the operator) are told of each new version. See services/webhooks.ts. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { idParam } from '../../schemas/common.ts';
import { webhook, webhookInput } from '../../schemas/webhooks.ts';
import { registerWebhook, removeWebhook, visibleWebhooks } from '../../services/webhooks.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

export function registerWebhooks(app: App, deps: Deps): void {
  const owners = requireRoles(deps, 'ncb', 'admin');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks',
      operationId: 'createWebhook',
      tags: ['webhooks'],
      summary: 'Register a URL of your own systems to be sent a signed notification of each new version',
      description:
        'Each new version is POSTed as a compact JWS (content type application/jose, typ wol-notification+jws, ' +
        'payload {version, manifestSha256, iat}) signed with the list’s key: verify it against /.well-known/jwks.json. ' +
        'Answer 2xx; anything else is retried with back-off.',
      middleware: [owners],
      request: { body: jsonBody(webhookInput) },
      responses: { 201: jsonContent(webhook, 'Registered'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await registerWebhook(deps, { caller: callerOf(c), input: c.req.valid('json') }), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/webhooks',
      operationId: 'listWebhooks',
      tags: ['webhooks'],
      summary: 'Your organisation’s webhooks (admin: all), each with its newest delivery attempt',
      middleware: [owners],
      responses: { 200: jsonContent(z.object({ items: z.array(webhook) }), 'Webhooks'), ...problems(401, 403) },
    }),
    async (c) => c.json({ items: await visibleWebhooks(deps, { caller: callerOf(c) }) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/webhooks/{id}',
      operationId: 'deleteWebhook',
      tags: ['webhooks'],
      summary: 'Delete a webhook: no further deliveries, retries included',
      middleware: [owners],
      request: { params: idParam },
      responses: { 200: jsonContent(webhook, 'Deleted'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await removeWebhook(deps, { caller: callerOf(c), input: c.req.valid('param') }), 200),
  );
}
