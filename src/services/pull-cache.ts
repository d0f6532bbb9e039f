/**
 * What keeps the pull path off the database: ISPs poll often and nearly always get a 304.
 * Per database handle (tests and runtimes may hold several), in this process only:
 * - artifacts by version and format: immutable and content-addressed, so never stale;
 *   bounded by bytes, least recently used out first;
 * - the newest snapshot, for at most LATEST_TTL_MS (a build in this process forgets it at once);
 * - resolved credentials, for at most PRINCIPAL_TTL_MS (a revocation in this process forgets
 *   them at once; another instance sees it within that time);
 * - pull records, written in batches (within FLUSH_MS, or at once when read or on shutdown),
 *   identical pulls in one batch merged into one row with a count;
 * - when each credential was last used, written with the pull records: a request never waits
 *   for that write, so a read-only or failing-over database does not stop the pulls.
 */
import type { Db } from '../db/database.ts';
import { touchCredentials } from '../db/repositories/credentials.ts';
import { insertPulls, type NewPull } from '../db/repositories/pulls.ts';
import type { ArtifactRow, SnapshotRow } from '../db/repositories/snapshots.ts';
import type { Principal } from './principal.ts';

export const LATEST_TTL_MS = 1000;
export const PRINCIPAL_TTL_MS = 1000;
const FLUSH_MS = 1000;
const FLUSH_ROWS = 500;
const ARTIFACT_BUDGET_BYTES = 64 * 2 ** 20;

interface Cache {
  latest: { row: SnapshotRow; until: number } | null;
  artifacts: Map<string, ArtifactRow>;
  artifactBytes: number;
  principals: Map<string, { principal: Principal | null; until: number }>;
  /** Pulls not yet written, identical ones merged: key -> row with its count. */
  pending: Map<string, NewPull>;
  /** Credentials used and not yet recorded: id -> when, the latest use only. */
  touches: Map<number, Date>;
  flushing: Promise<void> | null;
  timer: ReturnType<typeof setTimeout> | null;
}

const caches = new WeakMap<Db, Cache>();

function cacheOf(db: Db): Cache {
  let cache = caches.get(db);
  if (!cache) {
    cache = {
      latest: null,
      artifacts: new Map(),
      artifactBytes: 0,
      principals: new Map(),
      pending: new Map(),
      touches: new Map(),
      flushing: null,
      timer: null,
    };
    caches.set(db, cache);
  }
  return cache;
}

export async function cachedLatest(
  db: Db,
  load: () => Promise<SnapshotRow | undefined>,
): Promise<SnapshotRow | undefined> {
  const cache = cacheOf(db);
  if (cache.latest && cache.latest.until > Date.now()) return cache.latest.row;
  const row = await load();
  cache.latest = row ? { row, until: Date.now() + LATEST_TTL_MS } : null;
  return row;
}

export function forgetLatest(db: Db): void {
  cacheOf(db).latest = null;
}

/**
 * `key` names the version, its manifest digest and the format: the digest keeps a database
 * whose version N is other bytes (restored, or rebuilt from nothing) from meeting the old N.
 */
export async function cachedArtifact(
  db: Db,
  key: string,
  load: () => Promise<ArtifactRow | undefined>,
): Promise<ArtifactRow | undefined> {
  const cache = cacheOf(db);
  const hit = cache.artifacts.get(key);
  if (hit) {
    cache.artifacts.delete(key);
    cache.artifacts.set(key, hit);
    return hit;
  }
  const row = await load();
  if (!row) return undefined;
  const size = row.bytes.byteLength + row.gzip.byteLength;
  if (size > ARTIFACT_BUDGET_BYTES / 4) return row;
  cache.artifacts.set(key, row);
  cache.artifactBytes += size;
  for (const [oldest, value] of cache.artifacts) {
    if (cache.artifactBytes <= ARTIFACT_BUDGET_BYTES) break;
    cache.artifacts.delete(oldest);
    cache.artifactBytes -= value.bytes.byteLength + value.gzip.byteLength;
  }
  return row;
}

/** `now` is the service's clock, so an expiry passes when the clock says so; `expiresAt` bounds the entry. */
export async function cachedPrincipal(
  db: Db,
  tokenHash: string,
  now: Date,
  load: () => Promise<{ principal: Principal; expiresAt: Date | null } | null>,
): Promise<Principal | null> {
  const cache = cacheOf(db);
  const at = now.getTime();
  const hit = cache.principals.get(tokenHash);
  if (hit && hit.until > at) return hit.principal;
  const loaded = await load();
  if (cache.principals.size > 10_000) cache.principals.clear();
  const until = Math.min(at + PRINCIPAL_TTL_MS, loaded?.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
  cache.principals.set(tokenHash, { principal: loaded?.principal ?? null, until });
  return loaded?.principal ?? null;
}

/** After a revocation (or any credential change): resolve every key afresh. */
export function forgetPrincipals(db: Db): void {
  cacheOf(db).principals.clear();
}

export function recordPullLater(db: Db, row: NewPull): void {
  const cache = cacheOf(db);
  const key = `${row.credentialId}|${row.version}|${row.format}|${row.status}|${row.ip}|${row.via}`;
  const same = cache.pending.get(key);
  if (same) {
    same.count = (same.count ?? 1) + (row.count ?? 1);
    same.at = row.at;
  } else cache.pending.set(key, { ...row, count: row.count ?? 1 });
  flushSoon(db, cache);
}

export function touchLater(db: Db, credentialId: number, at: Date): void {
  const cache = cacheOf(db);
  const known = cache.touches.get(credentialId);
  if (!known || known < at) cache.touches.set(credentialId, at);
  flushSoon(db, cache);
}

function flushSoon(db: Db, cache: Cache): void {
  // A failed write keeps its rows for the next flush; the reader that flushes sees the error.
  const flushQuietly = () => flushPulls(db).catch(() => {});
  if (cache.pending.size >= FLUSH_ROWS) void flushQuietly();
  else cache.timer ??= setTimeout(flushQuietly, FLUSH_MS).unref();
}

/**
 * Writes the pull records and credential uses not yet written. Errors are the caller's to
 * log; what failed is kept for the next try.
 */
export async function flushPulls(db: Db): Promise<void> {
  const cache = cacheOf(db);
  if (cache.timer) clearTimeout(cache.timer);
  cache.timer = null;
  await cache.flushing;
  if (cache.pending.size === 0 && cache.touches.size === 0) return;
  const rows = [...cache.pending.values()];
  const touches = [...cache.touches];
  cache.pending = new Map();
  cache.touches = new Map();
  const writes = Promise.allSettled([
    insertPulls(db, rows).catch((error) => {
      for (const row of rows) recordPullLater(db, row);
      throw error;
    }),
    touchCredentials(db, touches).catch((error) => {
      for (const [id, at] of touches) touchLater(db, id, at);
      throw error;
    }),
  ]);
  cache.flushing = writes
    .then((outcomes) => {
      for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    })
    .finally(() => {
      cache.flushing = null;
    });
  await cache.flushing;
}
