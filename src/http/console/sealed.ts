/**
 * What the console must carry through the browser without showing it: domain names in
 * links (proxy logs and browser history keep URLs), search terms and page cursors, and the
 * one-time message a form leaves for the page it redirects to. AES-256-GCM under keys
 * derived from the session secret, so a token cannot be read or forged without it.
 *
 * References to domains and searches are deterministic (the nonce is an HMAC of the text, as
 * in SIV): the same domain always has the same link, so history and shared links work, and
 * the token reveals only that two links name the same thing. Flash messages get a random nonce.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export type SealPurpose = 'domain' | 'query' | 'flash';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Long enough for a URL the API accepts as a report, and no more. */
const MAX_TOKEN_CHARS = 12_000;

const derive = (secret: Uint8Array, purpose: SealPurpose, use: 'key' | 'nonce') =>
  createHmac('sha256', secret).update(`console seal\n${purpose}\n${use}`).digest();

export function seal(secret: Uint8Array, purpose: SealPurpose, text: string): string {
  const nonce =
    purpose === 'flash'
      ? randomBytes(NONCE_BYTES)
      : createHmac('sha256', derive(secret, purpose, 'nonce'))
          .update(text)
          .digest()
          .subarray(0, NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', derive(secret, purpose, 'key'), nonce);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url');
}

/** The sealed text, or null when the token is not one this secret sealed for this purpose. */
export function unseal(secret: Uint8Array, purpose: SealPurpose, token: string | undefined): string | null {
  if (!token || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < NONCE_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(secret, purpose, 'key'), raw.subarray(0, NONCE_BYTES));
    decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
