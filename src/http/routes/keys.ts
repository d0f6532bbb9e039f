/** GET /.well-known/jwks.json: the public keys (active and retiring) that sign manifests. Never a private half. */
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { jwkSet } from '../../schemas/keys.ts';
import { publishedJwks } from '../../services/keys.ts';
import type { App } from '../env.ts';
import { jsonContent } from '../openapi.ts';

export function registerKeys(app: App, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'getJwks',
      tags: ['list'],
      summary: 'The JWK Set that verifies manifests and timestamps',
      security: [],
      responses: { 200: jsonContent(jwkSet, 'The key set') },
    }),
    async (c) => c.json(await publishedJwks(deps), 200, { 'cache-control': 'public, max-age=300' }),
  );
}
