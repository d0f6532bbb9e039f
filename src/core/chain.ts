/**
 * The chain of custody of a national list (issue 17): central signed list -> national signed
 * list. Given the national manifest (already verified) and its json artifact, the upstream
 * manifest it names and that version's entries (its txt), checks the upstream signature by the
 * pinned central key, that the national manifest names exactly that upstream manifest, and
 * that every entry marked `upstream` is in that upstream version, with the overlay's counts.
 */
import type { JWK } from 'jose';
import { entrySources } from './formats.ts';
import type { ManifestPayload } from './manifest.ts';
import { sha256Hex } from './tokens.ts';
import { checkArtifact, VerificationError, verifyManifest } from './verify.ts';

export interface ChainInput {
  manifest: ManifestPayload;
  /** The national json artifact, already checked against `manifest`. */
  json: Uint8Array;
  upstreamManifest: string;
  upstreamJwks: { keys: JWK[] };
  /** The upstream version's txt artifact (its entry list). */
  upstreamEntries: Uint8Array;
}

export async function verifyChain(
  input: ChainInput,
): Promise<{ upstreamVersion: number; upstream: number; national: number }> {
  const named = input.manifest.upstream;
  if (!named || !input.manifest.overlay)
    throw new VerificationError('no_upstream', `version ${input.manifest.version} names no upstream version`);
  // An older upstream manifest may have expired since: its signature and digest still count.
  const upstream = await verifyManifest(input.upstreamManifest, input.upstreamJwks, new Date(0));
  if (upstream.version !== named.version || sha256Hex(input.upstreamManifest.trim()) !== named.manifestSha256)
    throw new VerificationError(
      'upstream_mismatch',
      `the upstream manifest is not the one version ${input.manifest.version} was built from (upstream version ${named.version})`,
    );
  checkArtifact(upstream, 'txt', input.upstreamEntries);
  const upstreamKeys = new Set(new TextDecoder().decode(input.upstreamEntries).split('\n').filter(Boolean));

  let entries: { key: string; source?: string }[];
  try {
    entries = (JSON.parse(new TextDecoder().decode(input.json)) as { entries: { key: string; source?: string }[] })
      .entries;
  } catch {
    throw new VerificationError('bad_payload', 'the json artifact is not a worst-of json list');
  }
  const counts = { upstream: 0, national: 0 };
  for (const entry of entries) {
    if (!(entrySources as readonly (string | undefined)[]).includes(entry.source))
      throw new VerificationError('bad_payload', `entry ${entry.key} has no source`);
    if (entry.source === 'upstream') {
      if (!upstreamKeys.has(entry.key))
        throw new VerificationError(
          'not_upstream',
          `${entry.key} is marked upstream but is not in upstream version ${upstream.version}`,
        );
      counts.upstream++;
    } else counts.national++;
  }
  const overlay = input.manifest.overlay;
  if (
    overlay.upstream !== upstream.entries.count ||
    counts.upstream !== overlay.upstream - overlay.withheld ||
    counts.national !== overlay.national
  )
    throw new VerificationError('overlay_mismatch', 'the entries do not add up to the signed overlay counts');
  return { upstreamVersion: upstream.version, ...counts };
}
