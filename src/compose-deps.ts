/**
 * composeDeps: the one place Deps is made. The runtime brings its parts (database, clock, logger,
 * key vault, optional senders and threads); composeDeps adds the state that lives with them, so
 * that every app and service built over the result shares one of each: the pull cache and the
 * notifications in flight (per database connection), the limits and the session secret (per
 * process, or Workers isolate).
 */
import type { Db } from './db/database.ts';
import type { Deps } from './deps.ts';
import { sessionSecret } from './http/console/session.ts';
import { createLimiters } from './http/rate-limit.ts';
import { createNotifier, type Notifier } from './services/notifier.ts';
import { createPullCache, type PullCache } from './services/pull-cache.ts';

/** What lives as long as one database connection: the handle, and what writes through it later. */
export interface ConnectionState {
  db: Db;
  pullCache: PullCache;
  notifier: Notifier;
}

/** What a runtime brings. */
export type DepsParts = Omit<Deps, keyof ConnectionState | 'limits' | 'sessionSecret'>;

export function connectionState(db: Db, clock: () => Date): ConnectionState {
  return { db, pullCache: createPullCache(db, clock), notifier: createNotifier() };
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
  };
}
