/**
 * A cache of artifact bodies shared beyond one process: on Workers, the Cache API of the
 * location, so the database is read once per artifact, encoding and location. Artifacts are
 * immutable and content-addressed, so an entry never goes stale. The list is confidential:
 * pullArtifact is the only reader, and it runs after the route has checked the credential;
 * the keys live under a host no client can request, so the edge never serves them on its own.
 */
import type { Format } from '../core/formats.ts';

export type Encoding = 'gzip' | 'identity';

/** One encoding of one artifact. */
export interface ArtifactBody {
  /** The artifact's sha256 (uncompressed): the ETag, and what the manifest signs. */
  sha256: string;
  /** The bytes sent in this encoding, and their sha256 (Content-Digest). */
  bytes: Uint8Array;
  digest: string;
}

/**
 * Which artifact: its version and that version's manifest digest (so a database restored or
 * rebuilt, whose version N is other bytes, never meets the old N's entries), format, encoding.
 */
export interface ArtifactKey {
  version: number;
  manifestSha256: string;
  format: Format;
  encoding: Encoding;
}

export interface ArtifactCache {
  get(key: ArtifactKey): Promise<ArtifactBody | null>;
  put(key: ArtifactKey, body: ArtifactBody): Promise<void>;
}

/** Not a routable name: a request from outside can never be answered from these entries. */
const KEY_BASE = 'https://artifacts.worstof.invalid/v1/';

const requestOf = (k: ArtifactKey) =>
  new Request(`${KEY_BASE}${k.version}.${k.format}/${k.encoding}/${k.manifestSha256}`);

/**
 * Over a standard Cache (Workers: `caches.default`). Entries are stored with a year's
 * max-age (the Cache API keeps nothing marked private); they are never sent as they are.
 */
export function cacheApiArtifacts(cache: Cache): ArtifactCache {
  return {
    async get(key) {
      const hit = await cache.match(requestOf(key));
      const sha256 = hit?.headers.get('x-artifact-sha256');
      const digest = hit?.headers.get('x-body-sha256');
      if (!hit || !sha256 || !digest) return null;
      return { sha256, digest, bytes: new Uint8Array(await hit.arrayBuffer()) };
    },
    async put(key, body) {
      const headers = {
        'cache-control': 'max-age=31536000, immutable',
        'content-type': 'application/octet-stream',
        'x-artifact-sha256': body.sha256,
        'x-body-sha256': body.digest,
      };
      await cache.put(requestOf(key), new Response(body.bytes as Uint8Array<ArrayBuffer>, { headers }));
    },
  };
}
