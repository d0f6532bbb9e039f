/**
 * Builds soon after evidence changes (WOL_BUILD_DEBOUNCE): the first change arms a timer;
 * changes until it fires join that build. A change while a build runs (which may not see it)
 * arms one more build after it. So at most one debounced build runs at a time, each change is
 * in a build at most `delay` plus two build durations later, and a steady stream of changes
 * yields one build per `delay` (plus its duration), not one per change.
 */
import type { Deps } from '../deps.ts';
import { buildSnapshot } from '../services/build.ts';
import { systemCaller } from '../services/caller.ts';

export interface DebouncedBuilds {
  /** What services call (as deps.evidenceChanged) after a change has committed. */
  trigger(): void;
  /** Drops a build not yet started and waits for one under way. */
  stop(): Promise<void>;
}

export function startDebouncedBuilds(deps: Deps, delaySeconds: number): DebouncedBuilds {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let changedWhileRunning = false;
  let stopped = false;

  const arm = () => {
    timer = setTimeout(run, delaySeconds * 1000);
  };
  const run = () => {
    timer = null;
    running = buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'debounce' } })
      .then(
        () => {},
        () => {}, // buildSnapshot has logged and recorded the failure; the next change tries again.
      )
      .finally(() => {
        running = null;
        if (changedWhileRunning && !stopped) {
          changedWhileRunning = false;
          arm();
        }
      });
  };

  return {
    trigger() {
      if (stopped) return;
      if (running) changedWhileRunning = true;
      else if (!timer) arm();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
