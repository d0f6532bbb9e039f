/**
 * What a national version was built from, for checking the chain: the upstream manifest JWS
 * verbatim and that upstream version's entries as its txt artifact (the bytes whose sha256 the
 * upstream manifest signs).
 */
import { renderArtifact } from '../core/formats.ts';
import { LIST_NAME, readManifest } from '../core/manifest.ts';
import { getSnapshot } from '../db/repositories/snapshots.ts';
import { getUpstreamVersion, upstreamKeysAt } from '../db/repositories/upstream.ts';
import type { Deps } from '../deps.ts';
import { NotFoundError } from './errors.ts';
import { upstreamOf } from './upstream-sync.ts';

async function upstreamBehind(deps: Deps, version: number) {
  upstreamOf(deps);
  const snapshot = await getSnapshot(deps.db, version);
  if (!snapshot) throw new NotFoundError('unknown_version', `there is no version ${version}`);
  const named = readManifest(snapshot.manifest).payload.upstream;
  const row = named ? await getUpstreamVersion(deps.db, named.version) : undefined;
  if (!row) throw new NotFoundError('no_upstream', `version ${version} was built before any upstream version`);
  return row;
}

export async function upstreamManifestOf(deps: Deps, version: number) {
  const row = await upstreamBehind(deps, version);
  return { upstreamVersion: row.version, manifest: row.manifest, manifestSha256: row.manifestSha256 };
}

export async function upstreamEntriesOf(deps: Deps, version: number) {
  const row = await upstreamBehind(deps, version);
  const keys = await upstreamKeysAt(deps.db, row.version);
  const txt = renderArtifact(
    'txt',
    keys.map((key) => ({ key, since: 0 })),
    { list: LIST_NAME, version: row.version, createdAt: row.syncedAt },
  );
  return { upstreamVersion: row.version, txt };
}
