/** The Node key vault: generated keys as JWK files in DATA_DIR/keys (0600), plus the configured key. */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSigningKey, type SigningKey } from '../core/signing.ts';
import { ENV_REF, type KeyVault } from './key-vault.ts';

export function fileKeyVault(dataDir: string, configured: SigningKey | null): KeyVault {
  const dir = path.resolve(dataDir, 'keys');
  return {
    async read(ref) {
      if (ref === ENV_REF) return configured;
      if (!ref.startsWith('file:')) return null;
      const name = path.basename(ref.slice('file:'.length));
      try {
        return await parseSigningKey(await readFile(path.join(dir, name), 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async store(key) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${key.kid}.jwk`;
      const temporary = path.join(dir, `.${name}.tmp`);
      await writeFile(temporary, `${JSON.stringify({ ...key.privateJwk, kid: key.kid })}\n`, { mode: 0o600 });
      await chmod(temporary, 0o600);
      await rename(temporary, path.join(dir, name));
      return `file:${name}`;
    },
  };
}
