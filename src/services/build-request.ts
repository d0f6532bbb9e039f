/**
 * What a build is asked and what it answers: shared by the build (build.ts), the thread that
 * runs builds on Node over PostgreSQL (build-thread.ts) and Deps, which carries that thread.
 */
export type BuildTrigger = 'schedule' | 'api' | 'console' | 'cli' | 'debounce' | 'test';

/** A build's options less the test seam, and its start (structured-clonable, for the thread). */
export interface BuildRequest {
  trigger: BuildTrigger;
  actor: number | null;
  startedAt: Date;
  /** Re-aggregate every key instead of those whose evidence changed since the last build. */
  full: boolean;
}

export interface BuildResult {
  version: number;
  changed: boolean;
  added: number;
  removed: number;
  entryCount: number;
  /** Keys aggregated and evaluated (every reported key when `full`). */
  evaluated: number;
  full: boolean;
  durationMs: number;
}
