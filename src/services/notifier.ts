/**
 * The new-version notifications in flight (notifications.ts sends them): one per process and
 * database, made by composeDeps (on Workers, one per request's connection, which stays open
 * until they are done). A runtime waits for them (Workers' waitUntil) or stops them (shutdown).
 */
export interface Notifier {
  /** Keeps `task` until it settles, so that pending() and stop() wait for it. */
  track(task: Promise<void>): void;
  /** Aborted at shutdown: waiting retries end, no new retry starts. */
  readonly stopping: AbortSignal;
  /** The newest version handed to each webhook: an older version's retries give way to it. */
  readonly newest: Map<number, number>;
  /** Resolves when every delivery started so far has ended (retries included). */
  pending(): Promise<void>;
  /** At shutdown: attempts under way finish (each within its timeout); waiting retries are dropped. */
  stop(): Promise<void>;
}

export function createNotifier(): Notifier {
  const tasks = new Set<Promise<void>>();
  const stopping = new AbortController();
  const notifier: Notifier = {
    track(task) {
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
    },
    stopping: stopping.signal,
    newest: new Map(),
    async pending() {
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
    async stop() {
      stopping.abort();
      await notifier.pending();
    },
  };
  return notifier;
}
