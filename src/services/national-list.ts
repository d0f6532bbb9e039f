/**
 * What a national instance's build publishes instead of its own evaluation alone: the overlay
 * of the last verified upstream version (core/overlay.ts), the manifest's `upstream` and
 * `overlay` fields, and the bound on its timestamp's `exp` (the last verified upstream
 * timestamp's plus WOL_UPSTREAM_GRACE), all read in the build's transaction.
 */
import type { EntrySource } from '../core/formats.ts';
import type { ManifestPayload } from '../core/manifest.ts';
import { composeOverlay } from '../core/overlay.ts';
import type { Db } from '../db/database.ts';
import { getUpstreamState, lastUpstreamVersion, upstreamKeysAt } from '../db/repositories/upstream.ts';
import { withheldKeys } from '../db/repositories/withholdings.ts';
import type { Deps } from '../deps.ts';

export interface NationalList {
  sources: Map<string, EntrySource>;
  manifest: Required<Pick<ManifestPayload, 'upstream' | 'overlay'>>;
  /** Null before the first verified upstream timestamp: nothing upstream to outlive yet. */
  timestampNotAfter: Date | null;
}

export async function nationalList(deps: Deps, tx: Db, evaluated: ReadonlySet<string>): Promise<NationalList> {
  const [upstream, state, withheld] = await Promise.all([
    lastUpstreamVersion(tx),
    getUpstreamState(tx),
    withheldKeys(tx),
  ]);
  const keys = upstream ? await upstreamKeysAt(tx, upstream.version) : [];
  const overlay = composeOverlay(keys, withheld, evaluated);
  const expires = state?.timestampExpiresAt;
  return {
    sources: overlay.sources,
    manifest: {
      upstream: upstream ? { version: upstream.version, manifestSha256: upstream.manifestSha256 } : null,
      overlay: overlay.counts,
    },
    timestampNotAfter: expires ? new Date(expires.getTime() + deps.config.WOL_UPSTREAM_GRACE * 1000) : null,
  };
}
