/**
 * Secrets at rest (TSIG secrets): AES-256-GCM under the vault's sealing key, so a dump of the
 * database alone does not reveal them. The associated data binds a sealed secret to its row
 * (the key name): copied onto another row, it no longer opens.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export function seal(key: Uint8Array, secret: Uint8Array, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(boundTo));
  const sealed = Buffer.concat([cipher.update(secret), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
}

/** Throws when the key is not the one that sealed it or the text was changed. */
export function unseal(key: Uint8Array, text: string, boundTo: string): Buffer {
  const [version, body] = text.split('.');
  if (version !== VERSION || body === undefined) throw new Error('not a sealed secret');
  const bytes = Buffer.from(body, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
}
