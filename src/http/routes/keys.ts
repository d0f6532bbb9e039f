/** GET /.well-known/jwks.json: the public keys (active and retiring) that sign manifests. Never a private half. */
import { createRoute, z } from '@hono/zod-openapi';
import { publishedKeyStates } from '../../core/vocabulary.ts';
import type { Deps } from '../../deps.ts';
import { publishedJwks } from '../../services/keys.ts';
import type { App } from '../env.ts';
import { jsonContent } from '../openapi.ts';

const jwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
  status: z.enum(publishedKeyStates),
});

export function registerKeys(app: App, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'getJwks',
      tags: ['list'],
      summary: 'The JWK Set that verifies manifests and timestamps',
      security: [],
      responses: { 200: jsonContent(z.object({ keys: z.array(jwk) }), 'The key set') },
    }),
    async (c) => c.json((await publishedJwks(deps)) as never, 200, { 'cache-control': 'public, max-age=300' }),
  );
}
