/**
 * The TSIG keys the DNS listener resolved (tsig-keys.ts resolves them), by name, for
 * KEY_TTL_MS at most, as bearer keys are. composeDeps makes one per process.
 */
import type { TsigKey } from '../core/tsig.ts';
import type { Role } from '../core/vocabulary.ts';
import { createExpiringCache, type ExpiringCache } from './expiring-cache.ts';

const KEY_TTL_MS = 1000;

export interface ResolvedTsigKey {
  key: TsigKey;
  credentialId: number;
  role: Role;
  notify: string[];
}

export type TsigKeyCache = ExpiringCache<ResolvedTsigKey>;

export function createTsigKeyCache(): TsigKeyCache {
  return createExpiringCache<ResolvedTsigKey>(KEY_TTL_MS);
}
