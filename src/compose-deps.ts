/**
 * composeDeps: the one place Deps is made. The runtime brings its parts (database, clock, logger,
 * key vault, optional senders and threads); composeDeps adds the state that lives with them, so
 * that every app and service built over the result shares one of each: the pull cache, the
 * notifications in flight and the upstream sync queue (per database connection), the limits,
 * the session secret and the caches of plain values read from the database (per process, or
 * Workers isolate).
 */
import type { Db } from './db/database.ts';
import type { Deps } from './deps.ts';
import { sessionSecret } from './http/console/session.ts';
import { createLimiters } from './http/rate-limit.ts';
import { createNotifier, type Notifier } from './services/notifier.ts';
import { createPullCache, type PullCache } from './services/pull-cache.ts';
import { createSyncQueue, type SyncQueue } from './services/sync-queue.ts';
import { createTsigKeyCache } from './services/tsig-key-cache.ts';

/**
 * What lives as long as one database connection: the handle, what writes through it later, and
 * the sync queue, whose promises settle by that connection's I/O (Workers refuse a promise
 * settled by another request's I/O).
 */
export interface ConnectionState {
  db: Db;
  pullCache: PullCache;
  notifier: Notifier;
  syncQueue: SyncQueue;
}

/** What a runtime brings. */
export type DepsParts = Omit<
  Deps,
  keyof ConnectionState | 'limits' | 'sessionSecret' | 'tsigKeyCache' | 'zoneCache' | 'taxiiIndex'
>;

export function connectionState(db: Db, clock: () => Date): ConnectionState {
  return { db, pullCache: createPullCache(db, clock), notifier: createNotifier(), syncQueue: createSyncQueue() };
}

/**
 * `db`: the process's database. Workers pass `connection` instead, which finds the running
 * request's: a socket cannot outlive the request that opened it, nor can the writes still to be
 * made through it, so each request has its own (worker.ts).
 */
export function composeDeps(parts: DepsParts & ({ db: Db } | { connection: () => ConnectionState })): Deps {
  const shared = {
    limits: createLimiters(parts.config),
    sessionSecret: sessionSecret(parts.config.WOL_SESSION_SECRET),
    // Plain values, each checked against the database (an expiry by the clock, the newest
    // version and its digest): any connection may fill them and any request read them.
    tsigKeyCache: createTsigKeyCache(),
    zoneCache: { current: null },
    taxiiIndex: { current: null },
  };
  if (!('connection' in parts)) return { ...parts, ...shared, ...connectionState(parts.db, parts.clock) };
  const { connection, ...rest } = parts;
  return {
    ...rest,
    ...shared,
    get db() {
      return connection().db;
    },
    get pullCache() {
      return connection().pullCache;
    },
    get notifier() {
      return connection().notifier;
    },
    get syncQueue() {
      return connection().syncQueue;
    },
  };
}
