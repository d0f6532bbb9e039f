/**
 * The console's session token and CSRF tokens. A session is a JWT (HS256) that carries the
 * credential id (`sub`) and a random session id (`jti`), nothing else: the credential is
 * looked up again on every request. A form's CSRF token is an HMAC of the session id, so it
 * is per session and needs no storage; the sign-in form, before any session exists, is
 * bound the same way to a random pre-session cookie.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'worstof';
const AUDIENCE = 'worstof-console';

export interface Session {
  credentialId: number;
  /** Random per sign-in: what the session's CSRF token is derived from. */
  id: string;
}

/** The secret sessions are signed with: WOL_SESSION_SECRET, or random for this process. */
export function sessionSecret(configured: string | undefined): Uint8Array {
  return configured ? new TextEncoder().encode(configured) : new Uint8Array(randomBytes(32));
}

export const randomId = (): string => randomBytes(16).toString('base64url');

export async function issueSession(secret: Uint8Array, credentialId: number, now: Date, ttlSeconds: number) {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(credentialId))
    .setJti(randomId())
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(secret);
}

/** The session a token names, or null when it is malformed, forged, expired or not ours. */
export async function readSession(secret: Uint8Array, token: string, now: Date): Promise<Session | null> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: now,
      requiredClaims: ['sub', 'jti', 'exp'],
    });
    const credentialId = Number(payload.sub);
    if (!Number.isSafeInteger(credentialId) || credentialId <= 0 || !payload.jti) return null;
    return { credentialId, id: payload.jti };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

/** The CSRF token of a session (or of a pre-session sign-in cookie): an HMAC under the session secret. */
export function csrfToken(secret: Uint8Array, purpose: 'session' | 'sign-in', id: string): string {
  return createHmac('sha256', secret).update(`csrf\n${purpose}\n${id}`).digest('base64url');
}

export function csrfMatches(secret: Uint8Array, purpose: 'session' | 'sign-in', id: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 100) return false;
  const expected = Buffer.from(csrfToken(secret, purpose, id));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
