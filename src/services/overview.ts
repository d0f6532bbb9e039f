/**
 * What the console's overview pages read: the dashboard's figures, the build history and
 * one version's detail. Read-only, and every query is bounded: no page reads the whole list.
 */
import { readManifest } from '../core/manifest.ts';
import { bucketsOf, listPerBucket, type Range, runsPerBucket } from '../core/time-series.ts';
import { buildRunsSince, countBuildRuns, recentBuildRuns } from '../db/repositories/builds.ts';
import { countOpenDelistingRequests } from '../db/repositories/decisions.ts';
import {
  TIME_TO_LISTING_BUCKETS,
  timeToListingByVersion,
  timeToListingDistribution,
  versionTimeToListing,
} from '../db/repositories/first-listings.ts';
import {
  getSnapshot,
  latestSnapshot,
  recentSnapshots,
  versionChanges,
  versionsSince,
} from '../db/repositories/snapshots.ts';
import type { Deps } from '../deps.ts';
import type { BuildRun, TimeToListing } from '../schemas/builds.ts';
import { NotFoundError } from './errors.ts';
import { pageOf } from './paging.ts';

export async function dashboardSummary(deps: Deps) {
  const [latest, runs, openDelistingRequests, timeToListing] = await Promise.all([
    latestSnapshot(deps.db),
    recentBuildRuns(deps.db, 1),
    countOpenDelistingRequests(deps.db),
    timeToListingDistribution(deps.db, TIME_TO_LISTING_BUCKETS),
  ]);
  return {
    latest: latest
      ? {
          version: latest.version,
          createdAt: latest.createdAt,
          entryCount: latest.entryCount,
          expiresAt: latest.expiresAt,
          signingKid: latest.signingKid,
        }
      : null,
    lastRun: runs[0] ?? null,
    nextScheduledBuild: deps.nextScheduledBuild?.() ?? null,
    openDelistingRequests,
    /** From first report to first listing, over every domain ever listed (cumulative counts per bound). */
    timeToListing,
  };
}

/** The list and its builds over a window (24 h in hours, 7 or 30 d in days): what the dashboard's charts draw. */
export async function listOverTime(deps: Deps, range: Range) {
  const buckets = bucketsOf(range, deps.clock());
  const since = buckets[0]!.start;
  const { versions, before } = await versionsSince(deps.db, since);
  const runs = await buildRunsSince(deps.db, since);
  return { range, list: listPerBucket(buckets, versions, before), builds: runsPerBucket(buckets, runs) };
}

/**
 * The newest build runs; each run that made a version carries that version's time to listing
 * (how many domains it listed for the first time, their median and longest wait), the others null.
 */
export async function buildRuns(deps: Deps, limit: number): Promise<BuildRun[]> {
  const runs = await recentBuildRuns(deps.db, limit);
  const made = runs.flatMap((r) => (r.outcome === 'changed' && r.version !== null ? [r.version] : []));
  const waits = await timeToListingByVersion(deps.db, made);
  return runs.map((r) => ({
    ...r,
    timeToListing: r.outcome === 'changed' && r.version !== null ? waits.get(r.version)! : null,
  }));
}

/** A version's time to listing (a build's answer). */
export const timeToListingOf = (deps: Deps, version: number): Promise<TimeToListing> =>
  versionTimeToListing(deps.db, version);

/** The newest build runs, and versions newest first, paged by version (`before`). */
export async function buildHistory(deps: Deps, query: { limit: number; before?: number | undefined }) {
  const [runs, runCount, versions, latest] = await Promise.all([
    recentBuildRuns(deps.db, query.limit),
    countBuildRuns(deps.db),
    recentSnapshots(deps.db, query.limit + 1, query.before),
    latestSnapshot(deps.db),
  ]);
  const { items, next } = pageOf(versions, query.limit, (last) => last.version);
  // Versions are numbered without gaps from 1, so the newest is also how many there are.
  return { runs, runCount, versions: items, versionCount: latest?.version ?? 0, nextBefore: next };
}

/**
 * One version: its row, what its manifest says (read, not verified: the signature was made
 * here), and a page of the keys it added and of those it removed.
 */
export async function versionDetail(
  deps: Deps,
  version: number,
  page: { addedAfter?: string | undefined; removedAfter?: string | undefined; limit: number },
) {
  const snapshot = await getSnapshot(deps.db, version);
  if (!snapshot) throw new NotFoundError('unknown_version', `there is no version ${version}`);
  const [added, removed, latest, timeToListing] = await Promise.all([
    versionChanges(deps.db, version, 'added', page.addedAfter, page.limit + 1),
    versionChanges(deps.db, version, 'removed', page.removedAfter, page.limit + 1),
    latestSnapshot(deps.db),
    versionTimeToListing(deps.db, version),
  ]);
  const paged = (keys: string[]) => pageOf(keys, page.limit, (last) => last);
  const { manifest: jws, ...row } = snapshot;
  return {
    snapshot: row,
    latestVersion: latest?.version ?? version,
    manifest: readManifest(jws),
    timeToListing,
    added: paged(added),
    removed: paged(removed),
  };
}
