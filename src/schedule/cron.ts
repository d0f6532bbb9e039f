/**
 * The Node schedule: node-cron runs the build on WOL_BUILD_CRON, never two at once (a run
 * that is due while the previous one is still going is skipped), logging each outcome.
 * The job body is the same buildSnapshot the Workers `scheduled` handler calls.
 */
import { schedule, validateDetailed } from 'node-cron';
import { ConfigError } from '../config.ts';
import type { Deps } from '../deps.ts';
import { buildSnapshot } from '../services/build.ts';
import { systemCaller } from '../services/caller.ts';

export interface Schedule {
  nextRun(): Date | null;
  /** Resolves once a build in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * The start-up check of WOL_BUILD_CRON against node-cron itself (config.ts checks only the
 * shape, to stay runtime-neutral): a value node-cron would refuse stops the start, named.
 */
export function assertSchedulable(expression: string): void {
  if (expression === 'off') return;
  let reason: string | null;
  try {
    const result = validateDetailed(expression);
    reason = result.valid ? null : result.errors.map((e) => e.message).join('; ');
  } catch (error) {
    reason = (error as Error).message;
  }
  if (reason !== null) throw new ConfigError(`invalid configuration:\n  WOL_BUILD_CRON: ${reason}`);
}

export function startSchedule(deps: Deps, expression: string): Schedule {
  let running: Promise<unknown> | null = null;
  const task = schedule(
    expression,
    async () => {
      running = buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'schedule' } }).catch(() => {
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
