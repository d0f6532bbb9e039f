/**
 * The dashboard's work queues (issue 22): how many domains are due for a re-check, delisting
 * requests open, exclusion decisions waiting for a build, domains one confirmation short of the
 * criteria, and ISPs that have not pulled for WOL_ISP_STALE_HOURS. Each count is one index read
 * (the re-check and confirmation queues as the last build recorded them), so the dashboard stays
 * within its page budget at any list size.
 */
import { latestCommittedRun } from '../db/repositories/builds.ts';
import { candidatesTotal } from '../db/repositories/confirmation-queue.ts';
import { countDecidedSince, countOpenDelistingRequests, decidedSinceList } from '../db/repositories/decisions.ts';
import { pullStatus } from '../db/repositories/pulls.ts';
import type { Deps } from '../deps.ts';
import { peopleNamed } from './audit.ts';
import { recordedReviewQueue } from './review.ts';

const HOUR_MS = 3_600_000;

/** Pulls older than this leave an ISP stale. */
export const ispStaleBefore = (deps: Deps): Date =>
  new Date(deps.clock().getTime() - deps.config.WOL_ISP_STALE_HOURS * HOUR_MS);

/** Whether an ISP that last pulled at `lastPulledAt` (null: never) is stale. */
export const isStale = (lastPulledAt: Date | null, before: Date): boolean =>
  lastPulledAt === null || lastPulledAt < before;

/** The ISPs of every country with no pull since the stale bound, by name. */
export async function staleIsps(deps: Deps) {
  await deps.pullCache.flush();
  const before = ispStaleBefore(deps);
  const rows = await pullStatus(deps.db, { kind: 'isp' });
  return rows
    .map((r) => ({ name: r.name, country: r.country, lastPulledAt: r.at === null ? null : new Date(r.at) }))
    .filter((r) => isStale(r.lastPulledAt, before));
}

/** The counts an analyst's or admin's dashboard shows, every country's ISPs (an NCB's page shows only its own). */
export async function workQueues(deps: Deps) {
  // One after another: PGlite has one connection, and each is an index read.
  const recheck = await recordedReviewQueue(deps, { limit: 0 });
  const openDelistingRequests = await countOpenDelistingRequests(deps.db);
  const lastBuild = await latestCommittedRun(deps.db);
  const pendingExclusions = await countDecidedSince(deps.db, lastBuild?.startedAt ?? null);
  const awaitingConfirmation = await candidatesTotal(deps.db, null);
  const isps = await staleIsps(deps);
  return {
    recheckDue: recheck.total,
    openDelistingRequests,
    pendingExclusions,
    awaitingConfirmation,
    staleIsps: isps.length,
    staleHours: deps.config.WOL_ISP_STALE_HOURS,
  };
}

/** The exclusion decisions the next build takes up (since the last build), newest first, with who decided. */
export async function pendingExclusions(deps: Deps, limit: number) {
  const lastBuild = await latestCommittedRun(deps.db);
  const since = lastBuild?.startedAt ?? null;
  const total = await countDecidedSince(deps.db, since);
  const rows = await decidedSinceList(deps.db, since, limit);
  const people = await peopleNamed(
    deps,
    rows.flatMap((r) => (r.decidedBy === null ? [] : [r.decidedBy])),
  );
  return {
    lastBuild: lastBuild ? { version: lastBuild.version, builtAt: lastBuild.startedAt } : null,
    total,
    items: rows.map(({ decidedBy, ...r }) => ({ ...r, decidedBy: decidedBy === null ? null : people.get(decidedBy) })),
  };
}
