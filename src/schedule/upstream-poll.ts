/**
 * A national instance's poll (WOL_UPSTREAM_POLL): a sync at start, then one each interval
 * after the previous one ended, so syncs never overlap and a slow upstream only delays the next.
 * The job body is syncUpstream, which the notification route calls too.
 */
import type { Deps } from '../deps.ts';
import { syncUpstream } from '../services/upstream-sync.ts';

export interface UpstreamPoll {
  /** Drops the next sync and waits for one under way. */
  stop(): Promise<void>;
}

export function startUpstreamPoll(deps: Deps, intervalSeconds: number): UpstreamPoll {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const run = () => {
    timer = null;
    // syncUpstream never throws: a failure is recorded, counted and logged there.
    running = syncUpstream(deps).finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(run, intervalSeconds * 1000);
    });
  };
  run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
