/**
 * What keeps the pull path off the database: ISPs poll often and nearly always get a 304.
 * One per process and database (composeDeps makes it; on Workers one per request's connection,
 * whose pending writes must be done before it closes), in memory only:
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
import { createExpiringCache } from './expiring-cache.ts';
import type { Principal } from './principal.ts';

export const LATEST_TTL_MS = 1000;
export const PRINCIPAL_TTL_MS = 1000;
const FLUSH_MS = 1000;
const FLUSH_ROWS = 500;
const ARTIFACT_BUDGET_BYTES = 64 * 2 ** 20;

export interface PullCache {
  /** The newest snapshot, loaded by `load` when not known or older than LATEST_TTL_MS by the clock. */
  latest(load: () => Promise<SnapshotRow | undefined>): Promise<SnapshotRow | undefined>;
  /** After a build in this process changed the list. */
  forgetLatest(): void;
  /**
   * `key` names the version, its manifest digest and the format: the digest keeps a database
   * whose version N is other bytes (restored, or rebuilt from nothing) from meeting the old N.
   */
  artifact(key: string, load: () => Promise<ArtifactRow | undefined>): Promise<ArtifactRow | undefined>;
  /** `now` is the caller's instant, so an expiry passes when the clock says so; `expiresAt` bounds the entry. */
  principal(
    tokenHash: string,
    now: Date,
    load: () => Promise<{ principal: Principal; expiresAt: Date | null } | null>,
  ): Promise<Principal | null>;
  /** After a revocation (or any credential change): resolve every key afresh. */
  forgetPrincipals(): void;
  recordPull(row: NewPull): void;
  /** The credential was used at `at`; only its latest use is written. */
  touch(credentialId: number, at: Date): void;
  /**
   * Writes the pull records and credential uses not yet written. Errors are the caller's to
   * log; what failed is kept for the next try.
   */
  flush(): Promise<void>;
}

/** `db` is where the pull records are written: the process's database, never a transaction. */
export function createPullCache(db: Db, clock: () => Date): PullCache {
  let latest: { row: SnapshotRow; until: number } | null = null;
  const artifacts = new Map<string, ArtifactRow>();
  let artifactBytes = 0;
  const principals = createExpiringCache<Principal>(PRINCIPAL_TTL_MS);
  /** Pulls not yet written, identical ones merged: key -> row with its count. */
  let pending = new Map<string, NewPull>();
  /** Credentials used and not yet recorded: id -> when, the latest use only. */
  let touches = new Map<number, Date>();
  let flushing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const cache: PullCache = {
    async latest(load) {
      if (latest && latest.until > clock().getTime()) return latest.row;
      const row = await load();
      latest = row ? { row, until: clock().getTime() + LATEST_TTL_MS } : null;
      return row;
    },

    forgetLatest() {
      latest = null;
    },

    async artifact(key, load) {
      const hit = artifacts.get(key);
      if (hit) {
        artifacts.delete(key);
        artifacts.set(key, hit);
        return hit;
      }
      const row = await load();
      if (!row) return undefined;
      const size = row.bytes.byteLength + row.gzip.byteLength;
      if (size > ARTIFACT_BUDGET_BYTES / 4) return row;
      artifacts.set(key, row);
      artifactBytes += size;
      for (const [oldest, value] of artifacts) {
        if (artifactBytes <= ARTIFACT_BUDGET_BYTES) break;
        artifacts.delete(oldest);
        artifactBytes -= value.bytes.byteLength + value.gzip.byteLength;
      }
      return row;
    },

    principal(tokenHash, now, load) {
      return principals.get(tokenHash, now, async () => {
        const loaded = await load();
        return loaded && { value: loaded.principal, expiresAt: loaded.expiresAt };
      });
    },

    forgetPrincipals() {
      principals.clear();
    },

    recordPull(row) {
      const key = `${row.credentialId}|${row.version}|${row.format}|${row.status}|${row.ip}|${row.via}`;
      const same = pending.get(key);
      if (same) {
        same.count = (same.count ?? 1) + (row.count ?? 1);
        same.at = row.at;
      } else pending.set(key, { ...row, count: row.count ?? 1 });
      flushSoon();
    },

    touch(credentialId, at) {
      const known = touches.get(credentialId);
      if (!known || known < at) touches.set(credentialId, at);
      flushSoon();
    },

    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      await flushing;
      if (pending.size === 0 && touches.size === 0) return;
      const rows = [...pending.values()];
      const used = [...touches];
      pending = new Map();
      touches = new Map();
      const writes = Promise.allSettled([
        insertPulls(db, rows).catch((error) => {
          for (const row of rows) cache.recordPull(row);
          throw error;
        }),
        touchCredentials(db, used).catch((error) => {
          for (const [id, at] of used) cache.touch(id, at);
          throw error;
        }),
      ]);
      flushing = writes
        .then((outcomes) => {
          for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
        })
        .finally(() => {
          flushing = null;
        });
      await flushing;
    },
  };

  function flushSoon(): void {
    // A failed write keeps its rows for the next flush; the reader that flushes sees the error.
    const flushQuietly = () => cache.flush().catch(() => {});
    if (pending.size >= FLUSH_ROWS) void flushQuietly();
    else timer ??= setTimeout(flushQuietly, FLUSH_MS).unref();
  }

  return cache;
}
