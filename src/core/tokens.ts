/**
 * API keys: `wol_<role>_<43 base64url chars>` (32 random bytes). Only the SHA-256 hex of a
 * key is stored; lookups go by hash, so no stored secret is ever compared byte by byte.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Role, roles } from './vocabulary.ts';

/** The shape of a key of one of `keyRoles`: the configuration checks a key of one role by it. */
export const tokenPattern = (...keyRoles: readonly Role[]): RegExp =>
  new RegExp(`^wol_(?:${keyRoles.join('|')})_[A-Za-z0-9_-]{22,}$`);

export const TOKEN_PATTERN = tokenPattern(...roles);

export function generateToken(role: Role): string {
  return `wol_${role}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return sha256Hex(token);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
