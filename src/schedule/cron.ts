/**
 * The Node schedule: node-cron runs the build on WOL_BUILD_CRON, never two at once (a run
 * that is due while the previous one is still going is skipped), logging each outcome.
 * The job body is the same buildSnapshot the Workers `scheduled` handler calls.
 */
import { schedule } from 'node-cron';
import type { Deps } from '../deps.ts';
import { buildSnapshot } from '../services/build.ts';

export interface Schedule {
  nextRun(): Date | null;
  /** Resolves once a build in progress (if any) has finished. */
  stop(): Promise<void>;
}

export function startSchedule(deps: Deps, expression: string): Schedule {
  let running: Promise<unknown> | null = null;
  const task = schedule(
    expression,
    async () => {
      running = buildSnapshot(deps, { trigger: 'schedule' }).catch(() => {
        // buildSnapshot has logged and recorded the failure; the next run tries again.
      });
      await running;
      running = null;
    },
    { name: 'build', noOverlap: true },
  );
  return {
    nextRun: () => task.getNextRun(),
    stop: async () => {
      await task.stop();
      await running;
    },
  };
}
