/**
 * What a client checks before it trusts a snapshot (DESIGN section 8, after TUF): the
 * signature against the key set, the payload's shape, `exp` not passed, no rollback below
 * the last accepted version, no fork of the chain, and each artifact's sha256.
 */
import type { JWK } from 'jose';
import { renderArtifact } from './formats.ts';
import {
  LIST_NAME,
  MANIFEST_TYP,
  type ManifestPayload,
  manifestPayload,
  TIMESTAMP_TYP,
  type TimestampPayload,
  timestampPayload,
} from './manifest.ts';
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

async function verifiedPayload(jws: string, jwks: { keys: JWK[] }, typ: string): Promise<Record<string, unknown>> {
  try {
    return (await verifyCompact(jws.trim(), jwks, typ)).payload;
  } catch (error) {
    if (error instanceof SignatureError) throw new VerificationError(error.code, error.message);
    throw error;
  }
}

function notExpired(what: string, exp: number, now: Date): void {
  if (exp * 1000 <= now.getTime())
    throw new VerificationError('expired', `${what} expired at ${new Date(exp * 1000).toISOString()}`);
}

export async function verifyManifest(jws: string, jwks: { keys: JWK[] }, now: Date): Promise<ManifestPayload> {
  const parsed = manifestPayload.safeParse(await verifiedPayload(jws, jwks, MANIFEST_TYP));
  if (!parsed.success) throw new VerificationError('bad_payload', 'the manifest payload is not a worst-of manifest');
  notExpired(`the manifest of version ${parsed.data.version}`, parsed.data.exp, now);
  return parsed.data;
}

/** The signed freshness statement (typ wol-timestamp+jws), checked as a manifest is. */
export async function verifyTimestamp(jws: string, jwks: { keys: JWK[] }, now: Date): Promise<TimestampPayload> {
  const parsed = timestampPayload.safeParse(await verifiedPayload(jws, jwks, TIMESTAMP_TYP));
  if (!parsed.success) throw new VerificationError('bad_payload', 'the timestamp payload is not a worst-of timestamp');
  notExpired('the timestamp', parsed.data.exp, now);
  return parsed.data;
}

/**
 * An entry list (from /changes, not an artifact) against the manifest: its txt rendering, one
 * key per line sorted bytewise, is what `entries.sha256` signs.
 */
export function checkEntries(manifest: ManifestPayload, sortedKeys: readonly string[]): void {
  let txt: Uint8Array;
  try {
    txt = renderArtifact(
      'txt',
      sortedKeys.map((key) => ({ key, since: 0 })),
      { list: LIST_NAME, version: manifest.version, createdAt: new Date(0) },
    );
  } catch (error) {
    throw new VerificationError('bad_entries', `the entries are not list keys: ${(error as Error).message}`);
  }
  const actual = sha256Hex(txt);
  if (sortedKeys.length !== manifest.entries.count || actual !== manifest.entries.sha256)
    throw new VerificationError(
      'digest_mismatch',
      `the ${sortedKeys.length} entries' sha256 ${actual} is not the signed ${manifest.entries.sha256} of version ${manifest.version}`,
    );
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

/** How far back a version jump is followed manifest by manifest to check the chain. */
const MAX_CHAIN_WALK = 200;

/**
 * Follows the chain back from `manifest` to the accepted version, each link signed, fetching
 * the manifests between with `manifestOf`. Older manifests may have expired (their signature
 * and chain still count); a link signed by a key that has left the key set ends the walk, as
 * nothing older can be checked.
 */
export async function checkChain(
  manifestOf: (version: number) => Promise<string>,
  jwks: { keys: JWK[] },
  manifest: ManifestPayload,
  last: AcceptedState,
): Promise<void> {
  if (manifest.version <= last.version + 1 || manifest.version - last.version > MAX_CHAIN_WALK) return;
  let link = manifest;
  while (link.version > last.version + 1) {
    const text = (await manifestOf(link.version - 1)).trim();
    let earlier: ManifestPayload;
    try {
      earlier = await verifyManifest(text, jwks, new Date(0));
    } catch (error) {
      if (error instanceof VerificationError && error.code === 'unknown_key') return;
      throw error;
    }
    if (link.previous?.manifestSha256 !== sha256Hex(text))
      throw new VerificationError('fork', `version ${link.version} does not chain to version ${earlier.version}`);
    link = earlier;
  }
  if (link.previous?.manifestSha256 !== last.manifestSha256)
    throw new VerificationError(
      'fork',
      `version ${link.version} does not chain to the accepted version ${last.version}`,
    );
}
