/**
 * Where private signing keys live. `env:WOL_SIGNING_KEY` is the configured key (the only
 * kind on Workers); `file:<kid>.jwk` is a file under DATA_DIR/keys, mode 0600.
 */
import type { SigningKey } from '../core/signing.ts';

export interface KeyVault {
  /** The private key a reference names, or null when this runtime cannot read it. */
  read(ref: string): Promise<SigningKey | null>;
  /** Keeps a newly generated key; returns its reference. */
  store(key: SigningKey): Promise<string>;
  /**
   * The 32-byte key that seals TSIG secrets at rest, made on first use; absent where the
   * runtime keeps no key files (Workers, which serve no DNS either).
   */
  sealingKey?(): Promise<Uint8Array>;
}

export const ENV_REF = 'env:WOL_SIGNING_KEY';

/** A vault holding only the configured key (Workers, or any runtime without a key folder). */
export function configuredKeyVault(configured: SigningKey | null): KeyVault {
  return {
    read: async (ref) => (ref === ENV_REF ? configured : null),
    store: async () => {
      throw new Error('this runtime cannot store generated keys: set WOL_SIGNING_KEY instead');
    },
  };
}
