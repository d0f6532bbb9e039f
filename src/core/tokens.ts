/**
 * API keys: `wol_<role>_<43 base64url chars>` (32 random bytes). Only the SHA-256 hex of a
 * key is stored; lookups go by hash, so no stored secret is ever compared byte by byte.
 */
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PATTERN = /^wol_(reporter|analyst|admin|ncb|isp)_[A-Za-z0-9_-]{22,}$/;

export function generateToken(role: string): string {
  return `wol_${role}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return sha256Hex(token);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
