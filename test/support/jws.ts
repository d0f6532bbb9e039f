/** Hand-made tokens for the refusal tests: what an attacker could serve instead of a real manifest. */
import { createHmac } from 'node:crypto';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export function unsignedToken(payload: unknown, kid: string): string {
  return `${b64({ alg: 'none', kid, typ: 'wol-manifest+jws' })}.${b64(payload)}.`;
}

/** HS256 keyed with the public key's bytes: the classic algorithm-confusion forgery. */
export function hs256WithPublicKey(payload: unknown, kid: string, publicX: string): string {
  const signingInput = `${b64({ alg: 'HS256', kid, typ: 'wol-manifest+jws' })}.${b64(payload)}`;
  const mac = createHmac('sha256', Buffer.from(publicX, 'base64url')).update(signingInput).digest('base64url');
  return `${signingInput}.${mac}`;
}

export function payloadOf(jws: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));
}
