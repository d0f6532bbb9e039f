/** Answer shape of the JWK Set: the public halves of the keys that sign, with their state. */
import { z } from '@hono/zod-openapi';
import { publishedKeyStates } from '../core/vocabulary.ts';

export const jwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
  status: z.enum(publishedKeyStates),
});

export const jwkSet = z.object({ keys: z.array(jwk) }).openapi('JwkSet');
export type JwkSet = z.infer<typeof jwkSet>;
