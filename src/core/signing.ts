/**
 * Compact JWS over jose with Ed25519 (`alg: EdDSA` everywhere: a JWK whose alg differs
 * from the token's is "no applicable key" to jose). Keys come in; nothing here reads a
 * clock, a file or the network.
 */
import {
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTHeaderParameters,
} from 'jose';

export const ALG = 'EdDSA';

export interface SigningKey {
  kid: string;
  privateJwk: JWK;
}

export interface PublicJwk extends JWK {
  x: string;
  kid: string;
  alg: typeof ALG;
  use: 'sig';
}

export class SignatureError extends Error {
  override name = 'SignatureError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  const privateJwk = await exportJWK(privateKey);
  return { kid: await kidOf(privateJwk), privateJwk };
}

/** The RFC 7638 thumbprint of the public half. */
export async function kidOf(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK, 'sha256');
}

export function publicJwk(key: JWK, kid: string): PublicJwk {
  if (key.kty !== 'OKP' || key.crv !== 'Ed25519' || !key.x)
    throw new SignatureError('bad_key', 'expected an Ed25519 (OKP) JWK');
  return { kty: 'OKP', crv: 'Ed25519', x: key.x, kid, alg: ALG, use: 'sig' };
}

/** Parses a private Ed25519 JWK given as JSON text (WOL_SIGNING_KEY). */
export async function parseSigningKey(text: string): Promise<SigningKey> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new SignatureError('bad_key', 'the signing key is not JSON');
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x)
    throw new SignatureError(
      'bad_key',
      'the signing key must be a private Ed25519 JWK (kty OKP, crv Ed25519, with d and x)',
    );
  await importJWK({ ...jwk, alg: ALG }, ALG);
  return { kid: await kidOf(jwk), privateJwk: jwk };
}

export async function signCompact(payload: unknown, key: SigningKey, typ: string): Promise<string> {
  const privateKey = await importJWK({ ...key.privateJwk, alg: ALG }, ALG);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ })
    .sign(privateKey);
}

/**
 * Verifies a compact JWS against a JWK Set: EdDSA only (so `alg: none` and HS256 keyed
 * with the public key are refused), the expected `typ`, and a `kid` the set holds.
 */
export async function verifyCompact(
  jws: string,
  jwks: { keys: JWK[] },
  typ: string,
): Promise<{ payload: Record<string, unknown>; header: JWTHeaderParameters }> {
  let header: JWTHeaderParameters;
  try {
    header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8'));
  } catch {
    throw new SignatureError('malformed', 'not a compact JWS');
  }
  if (header.alg !== ALG)
    throw new SignatureError('bad_alg', `the algorithm ${String(header.alg)} is not accepted (only EdDSA)`);
  if (header.typ !== typ) throw new SignatureError('bad_typ', `expected typ ${typ}, got ${String(header.typ)}`);
  if (!jwks.keys.some((k) => k.kid === header.kid))
    throw new SignatureError('unknown_key', `no key ${String(header.kid)} in the key set`);
  try {
    const result = await compactVerify(jws, createLocalJWKSet(jwks as never), { algorithms: [ALG] });
    return {
      payload: JSON.parse(new TextDecoder().decode(result.payload)),
      header: result.protectedHeader as JWTHeaderParameters,
    };
  } catch (error) {
    throw new SignatureError('bad_signature', `the signature does not verify: ${(error as Error).message}`);
  }
}
