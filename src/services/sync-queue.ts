/**
 * One upstream sync at a time (upstream-sync.ts runs them), and at most one waiting behind it:
 * a notification during a poll waits for it, and a burst of notifications is one more sync.
 * composeDeps makes one per database connection.
 */

export type SyncOutcome =
  | { ok: true; changed: boolean; version: number }
  | { ok: false; reason: string; message: string };

export interface SyncQueue {
  /** Runs `sync` after the one under way, or joins the one already waiting. */
  run(sync: () => Promise<SyncOutcome>): Promise<SyncOutcome>;
}

export function createSyncQueue(): SyncQueue {
  let running: Promise<SyncOutcome> | null = null;
  let waiting: Promise<SyncOutcome> | null = null;
  return {
    run(sync) {
      if (waiting) return waiting;
      const next: Promise<SyncOutcome> = (running ?? Promise.resolve())
        .then(() => {
          waiting = null;
          running = next;
          return sync();
        })
        .finally(() => {
          if (running === next) running = null;
        });
      waiting = next;
      return next;
    },
  };
}
