/**
 * The Node key vault: generated keys as JWK files in DATA_DIR/keys (0600), plus the configured
 * key, and the key that seals TSIG secrets (DATA_DIR/keys/tsig-sealing.key, 0600).
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
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
    async sealingKey() {
      const file = path.join(dir, SEALING_KEY_FILE);
      try {
        return decodeSealingKey(await readFile(file, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const temporary = path.join(dir, `.${SEALING_KEY_FILE}.${process.pid}.tmp`);
      await writeFile(temporary, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      // link(2) fails if another process made the key first: then both use that one.
      await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await unlink(temporary);
      return decodeSealingKey(await readFile(file, 'utf8'));
    },
  };
}

const SEALING_KEY_FILE = 'tsig-sealing.key';

function decodeSealingKey(text: string): Uint8Array {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${SEALING_KEY_FILE} does not hold 32 base64 bytes`);
  return key;
}
