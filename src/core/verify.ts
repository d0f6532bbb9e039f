/**
 * What a client checks before it trusts a snapshot (DESIGN section 8, after TUF): the
 * signature against the key set, the payload's shape, `exp` not passed, no rollback below
 * the last accepted version, no fork of the chain, and each artifact's sha256.
 */
import type { JWK } from 'jose';
import { MANIFEST_TYP, type ManifestPayload, manifestPayload } from './manifest.ts';
import { SignatureError, verifyCompact } from './signing.ts';
import { sha256Hex } from './tokens.ts';

export class VerificationError extends Error {
  override name = 'VerificationError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a client remembers of the last snapshot it accepted. */
export interface AcceptedState {
  version: number;
  manifestSha256: string;
}

export async function verifyManifest(jws: string, jwks: { keys: JWK[] }, now: Date): Promise<ManifestPayload> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await verifyCompact(jws.trim(), jwks, MANIFEST_TYP));
  } catch (error) {
    if (error instanceof SignatureError) throw new VerificationError(error.code, error.message);
    throw error;
  }
  const parsed = manifestPayload.safeParse(payload);
  if (!parsed.success) throw new VerificationError('bad_payload', 'the manifest payload is not a worst-of manifest');
  if (parsed.data.exp * 1000 <= now.getTime())
    throw new VerificationError(
      'expired',
      `the manifest of version ${parsed.data.version} expired at ${new Date(parsed.data.exp * 1000).toISOString()}`,
    );
  return parsed.data;
}

/** Refuses a rollback (a lower version) and a fork (another manifest for a version already accepted, or a broken chain). */
export function checkProgress(manifest: ManifestPayload, manifestSha256: string, last: AcceptedState | null): void {
  if (!last) return;
  if (manifest.version < last.version)
    throw new VerificationError(
      'rollback',
      `version ${manifest.version} is older than the accepted version ${last.version}`,
    );
  if (manifest.version === last.version && manifestSha256 !== last.manifestSha256)
    throw new VerificationError('fork', `a different manifest for the accepted version ${last.version}`);
  if (manifest.version === last.version + 1 && manifest.previous?.manifestSha256 !== last.manifestSha256)
    throw new VerificationError(
      'fork',
      `version ${manifest.version} does not chain to the accepted version ${last.version}`,
    );
}

export function checkArtifact(manifest: ManifestPayload, format: string, bytes: Uint8Array): void {
  const expected = manifest.artifacts[format as keyof ManifestPayload['artifacts']];
  if (!expected) throw new VerificationError('unknown_format', `the manifest lists no ${format} artifact`);
  const actual = sha256Hex(bytes);
  if (actual !== expected.sha256 || bytes.length !== expected.bytes)
    throw new VerificationError(
      'digest_mismatch',
      `the ${format} artifact's sha256 ${actual} is not the signed ${expected.sha256}`,
    );
}
