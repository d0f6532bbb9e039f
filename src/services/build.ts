/**
 * buildSnapshot: the one build, called by the schedule, POST /v1/builds, the CLI and the
 * Workers cron. In one transaction under an advisory lock: re-aggregate the evidence of the
 * keys whose evidence changed since the last build (issue 16: named by the writes' triggers, or
 * aged out by time; every key after a criteria change, a restore, or with `full`), evaluate
 * them, and compare with the latest snapshot; if the entry set changed (or the latest lacks a
 * format added since), write the next version (listings, artifacts in every format, the signed
 * manifest). Either way the signed timestamp is refreshed. A failure rolls everything back:
 * the previous version stays latest, and the names of changed keys stay for the next build.
 */
import { sql } from 'drizzle-orm';
import { bytewise, diffKeys } from '../core/diff.ts';
import { type Entry, formats } from '../core/formats.ts';
import { buildManifest, buildTimestamp, MANIFEST_TYP, readManifest, TIMESTAMP_TYP } from '../core/manifest.ts';
import { type SigningKey, signCompact } from '../core/signing.ts';
import { sha256Hex } from '../core/tokens.ts';
import { type Db, inTransaction, textArray } from '../db/database.ts';
import { failureMessage } from '../db/errors.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { recordBuildRun } from '../db/repositories/builds.ts';
import { aggregateSummaries } from '../db/repositories/evidence.ts';
import { recordFirstListings } from '../db/repositories/first-listings.ts';
import {
  changedKeys,
  clearChanges,
  includedKeys,
  keysChangedBy,
  markSummary,
  type SummaryState,
  summaryState,
  writeSummaries,
} from '../db/repositories/key-evidence.ts';
import { listOrganisations } from '../db/repositories/organisations.ts';
import { recordRecheckQueue } from '../db/repositories/review-queue.ts';
import {
  analyzeListings,
  applyListingChanges,
  insertArtifacts,
  insertSnapshot,
  latestSnapshot,
  openListings,
  openListingsAmong,
  pruneArtifacts,
  type SnapshotRow,
  upsertTimestamp,
} from '../db/repositories/snapshots.ts';
import type { Deps } from '../deps.ts';
import { renderInline } from './artifact-rendering.ts';
import type { BuildRequest, BuildResult, BuildTrigger } from './build-request.ts';
import type { Call } from './caller.ts';
import { recordCandidates } from './confirmation-queue.ts';
import { activeCriteria } from './criteria.ts';
import { recordFigures } from './domain-list.ts';
import { activeSigningKey } from './keys.ts';
import { type NationalList, nationalList } from './national-list.ts';
import { notifyNewVersion } from './notifications.ts';
import type { Principal } from './principal.ts';

/** Any constant works; all builders of one database must agree on it. */
const BUILD_LOCK = 0x776f6c;
/** Waits for a running build: the second builder then finds the entry set unchanged. */
export const BUILD_LOCK_SQL = sql`select pg_advisory_xact_lock(${BUILD_LOCK})`;

export interface BuildOptions {
  trigger: BuildTrigger;
  /** Re-aggregate every key, not only those whose evidence changed (`worstof build --full`). */
  full?: boolean;
  /** Test seam: runs inside the transaction after the new version is written, before commit. */
  beforeCommit?: (tx: Db) => Promise<void>;
}

export async function buildSnapshot(
  deps: Deps,
  { caller, input: options }: Call<BuildOptions, Principal | null>,
): Promise<BuildResult> {
  const started = deps.clock();
  deps.log.info({ build: { trigger: options.trigger } }, 'build started');
  const t0 = performance.now();
  const request = {
    trigger: options.trigger,
    actor: caller.principal?.credentialId ?? null,
    startedAt: started,
    full: options.full ?? false,
  };
  try {
    const result = await (deps.buildThread && !options.beforeCommit
      ? deps.buildThread(request)
      : commitBuild(deps, request, options.beforeCommit));
    if (result.changed) deps.pullCache.forgetLatest();
    deps.log.info({ build: { trigger: options.trigger, ...result } }, 'build finished');
    const outcome = result.changed ? 'changed' : 'unchanged';
    deps.metrics?.build({ trigger: options.trigger, outcome, seconds: result.durationMs / 1000 });
    // After the commit and without waiting: a webhook receiver can neither slow nor fail a build.
    if (result.changed) notifyNewVersion(deps, result.version);
    return result;
  } catch (error) {
    const durationMs = Math.round(performance.now() - t0);
    deps.log.error({ err: error, build: { trigger: options.trigger, durationMs } }, 'build failed');
    deps.metrics?.build({ trigger: options.trigger, outcome: 'failed', seconds: durationMs / 1000 });
    await recordBuildRun(deps.db, {
      trigger: options.trigger,
      startedAt: started,
      durationMs,
      outcome: 'failed',
      // The cause, not the statement: drizzle's message would be the first 500 characters of the SQL.
      error: failureMessage(error).slice(0, 500),
    }).catch((e) => deps.log.error({ err: e }, 'could not record the failed build'));
    throw error;
  }
}

/**
 * The build's transaction, with nothing of the serving process in it (no caches, metrics or
 * notifiers), so a build thread can run it on connections of its own.
 */
export async function commitBuild(
  deps: Deps,
  request: BuildRequest,
  beforeCommit?: BuildOptions['beforeCommit'],
): Promise<BuildResult> {
  const t0 = performance.now();
  return inTransaction(deps.db, async (tx) => {
    await tx.execute(BUILD_LOCK_SQL);
    const outcome = await compile(deps, tx, request.startedAt, request.full);
    await beforeCommit?.(tx);
    const durationMs = Math.round(performance.now() - t0);
    await recordBuildRun(tx, {
      trigger: request.trigger,
      startedAt: request.startedAt,
      durationMs,
      outcome: outcome.changed ? 'changed' : 'unchanged',
      version: outcome.version,
      added: outcome.added,
      removed: outcome.removed,
      evaluated: outcome.evaluated,
      full: outcome.full,
    });
    if (outcome.changed)
      await recordAudit(tx, {
        actor: request.actor,
        action: 'snapshot.build',
        subject: `snapshot:${outcome.version}`,
        detail: {
          trigger: request.trigger,
          added: outcome.added,
          removed: outcome.removed,
          entries: outcome.entryCount,
        },
        at: deps.clock(),
      });
    return { ...outcome, durationMs };
  });
}

interface Scope {
  /** Take the names of changed keys (a build, or a check's rehearsal, rolled back), or only read them (a preview). */
  take: boolean;
  /** Re-aggregate every key (`worstof build --full`). */
  full: boolean;
}

/**
 * The keys to re-aggregate: every key (null) when the summary must be made whole (`full`, none
 * yet, criteria changed since it was made), else those writes named since the last build and
 * those whose evidence ages out by now.
 */
async function keysToRefresh(
  db: Db,
  state: SummaryState | undefined,
  criteriaVersion: number,
  now: Date,
  scope: Scope,
): Promise<string[] | null> {
  if (scope.full || state?.criteriaVersion !== criteriaVersion) {
    if (scope.take) await clearChanges(db);
    return null;
  }
  const named = await changedKeys(db, scope.take);
  return [...new Set([...named, ...(await keysChangedBy(db, now))])];
}

/**
 * What a build now would publish: the re-aggregated keys' summaries, and how the list changes.
 * When the latest version lists exactly the keys the summary includes, only the re-aggregated
 * keys can change it, and only their listings are read; otherwise (a first build, a national
 * instance, a summary made whole) the whole list is compared.
 */
async function plan(deps: Deps, db: Db, now: Date, scope: Scope) {
  const criteria = await activeCriteria(db);
  const state = await summaryState(db);
  const latest = await latestSnapshot(db);
  const refreshed = await keysToRefresh(db, state, criteria.version, now, scope);
  const summaries =
    refreshed?.length === 0
      ? []
      : await aggregateSummaries(db, criteria.definition, now, refreshed ? textArray(refreshed) : undefined);
  const included = new Set(summaries.filter((s) => s.included).map((s) => s.evidence.listKey));
  const common = { criteria, latest, refreshed, summaries };
  const upstream = Boolean(deps.config.WOL_UPSTREAM_URL);
  if (refreshed && !upstream && latest && state?.listedVersion === latest.version) {
    const open = await openListingsAmong(db, refreshed);
    return { ...common, national: null, ...diffKeys(new Set(open.map((l) => l.listKey)), included) };
  }
  if (refreshed) {
    const again = new Set(refreshed);
    for (const key of await includedKeys(db)) if (!again.has(key)) included.add(key);
  }
  const national = upstream ? await nationalList(deps, db, included) : null;
  const keys = national ? new Set(national.sources.keys()) : included;
  const open = await openListings(db);
  return { ...common, national, ...diffKeys(new Set(open.map((l) => l.listKey)), keys) };
}

/**
 * What a build now would publish, for the console's confirmation step: the next version (or
 * none, when the entry set is unchanged), the keys it adds and removes, and how many ISP
 * organisations pull the list. Read only; the build itself evaluates again.
 */
export async function previewBuild(deps: Deps) {
  return inTransaction(deps.db, async (tx) => {
    const { added, removed, national, latest } = await plan(deps, tx, deps.clock(), { take: false, full: false });
    const isps = await listOrganisations(tx, { kind: 'isp' });
    const changed =
      !latest || added.length > 0 || removed.length > 0 || lacksFormats(latest) || overlayMoved(latest, national);
    return {
      latestVersion: latest?.version ?? null,
      nextVersion: changed ? (latest?.version ?? 0) + 1 : null,
      added: added.length,
      removed: removed.length,
      isps: isps.length,
    };
  });
}

export async function compile(deps: Deps, tx: Db, now: Date, full: boolean): Promise<Omit<BuildResult, 'durationMs'>> {
  const { criteria, latest, refreshed, summaries, national, ...change } = await plan(deps, tx, now, {
    take: true,
    full,
  });
  const evidence = summaries.map((s) => s.evidence);
  const scale = { evaluated: refreshed?.length ?? summaries.length, full: refreshed === null };
  await writeSummaries(tx, summaries, refreshed);
  // The confirmation queue and the domains' figures of the keys just re-aggregated.
  await recordCandidates(tx, evidence, criteria.definition, now, refreshed);
  await recordFigures(tx, evidence, refreshed);
  const key = await activeSigningKey(deps, tx);
  const notAfter = national?.timestampNotAfter ?? undefined;
  // After this build the version it leaves latest lists the included keys (unless an overlay).
  const listed = (version: number) => ({ criteriaVersion: criteria.version, listedVersion: national ? null : version });

  if (
    latest &&
    change.added.length === 0 &&
    change.removed.length === 0 &&
    !lacksFormats(latest) &&
    !overlayMoved(latest, national)
  ) {
    await recordRecheckQueue(tx, criteria.definition, refreshed);
    await markSummary(tx, listed(latest.version), now);
    await refreshTimestamp(deps, tx, latest, key, now, notAfter);
    return { version: latest.version, changed: false, added: 0, removed: 0, entryCount: latest.entryCount, ...scale };
  }

  const version = (latest?.version ?? 0) + 1;
  const removed = new Set(change.removed);
  const entries: Entry[] = [
    ...(await openListings(tx))
      .filter((l) => !removed.has(l.listKey))
      .map((l) => ({ key: l.listKey, since: l.addedVersion })),
    ...change.added.map((k) => ({ key: k, since: version })),
  ]
    .sort((a, b) => bytewise(a.key, b.key))
    .map((e) => (national ? { ...e, source: national.sources.get(e.key) } : e));

  const rendered = await (deps.renderArtifacts ?? renderInline)(entries, {
    list: 'worst-of',
    version,
    createdAt: now,
    blockPageHost: deps.config.WOL_BLOCK_PAGE_HOST,
  });

  const payload = buildManifest({
    version,
    issuedAt: now,
    ttlSeconds: deps.config.WOL_MANIFEST_TTL,
    criteria: { version: criteria.version, sha256: criteria.sha256 },
    previous: latest ? { version: latest.version, manifestSha256: latest.manifestSha256 } : null,
    entryCount: entries.length,
    artifacts: Object.fromEntries(
      formats.map((f) => [f, { sha256: rendered[f].sha256, bytes: rendered[f].bytes.length }]),
    ) as never,
    ...(national ? { national: national.manifest } : {}),
  });
  const manifest = await signCompact(payload, key, MANIFEST_TYP);
  const manifestSha256 = sha256Hex(manifest);

  await insertSnapshot(tx, {
    version,
    previousVersion: latest?.version ?? null,
    createdAt: now,
    criteriaVersion: criteria.version,
    entryCount: entries.length,
    listSha256: rendered.txt.sha256,
    manifest,
    manifestSha256,
    previousManifestSha256: latest?.manifestSha256 ?? null,
    addedCount: change.added.length,
    removedCount: change.removed.length,
    signingKid: key.kid,
    expiresAt: new Date(payload.exp * 1000),
  });
  await applyListingChanges(tx, version, change.added, change.removed);
  // As autovacuum would, past its threshold (50 rows and a tenth of the table), but before the reads below.
  if (change.added.length + change.removed.length > 50 + (latest?.entryCount ?? 0) / 10) await analyzeListings(tx);
  await recordFirstListings(tx, version, now);
  // The re-check queue among the listings as this version leaves them.
  await recordRecheckQueue(tx, criteria.definition, refreshed && [...refreshed, ...change.added, ...change.removed]);
  await markSummary(tx, listed(version), now);
  // One statement per artifact: the driver encodes bytea parameters on the serving thread, and
  // all of them in one statement (~34 MB at 100k entries) held pulls for ~0.9 s.
  for (const format of formats) await insertArtifacts(tx, [{ version, format, ...rendered[format] }]);
  await pruneArtifacts(tx, version, deps.config.WOL_KEEP_VERSIONS);
  await refreshTimestamp(deps, tx, { version, manifestSha256 }, key, now, notAfter);
  return {
    version,
    changed: true,
    added: change.added.length,
    removed: change.removed.length,
    entryCount: entries.length,
    ...scale,
  };
}

/**
 * A version built before a format existed has no artifact in it, and its signed manifest
 * cannot gain one: the next build publishes a new version with the same entries instead of
 * leaving that format's `latest` gone until the list next changes.
 */
function lacksFormats(latest: SnapshotRow): boolean {
  const signed = readManifest(latest.manifest).payload.artifacts;
  return formats.some((format) => !(format in signed));
}

/** A new upstream version, or a withholding that changes the overlay, is a new national version. */
function overlayMoved(latest: SnapshotRow, national: NationalList | null): boolean {
  if (!national) return false;
  const signed = readManifest(latest.manifest).payload;
  return (
    JSON.stringify([signed.upstream ?? null, signed.overlay ?? null]) !==
    JSON.stringify([national.manifest.upstream, national.manifest.overlay])
  );
}

async function refreshTimestamp(
  deps: Deps,
  tx: Db,
  latest: Pick<SnapshotRow, 'version' | 'manifestSha256'>,
  key: SigningKey,
  now: Date,
  notAfter?: Date,
): Promise<void> {
  const payload = buildTimestamp(latest.version, latest.manifestSha256, now, deps.config.WOL_TIMESTAMP_TTL, notAfter);
  await upsertTimestamp(tx, {
    version: latest.version,
    jws: await signCompact(payload, key, TIMESTAMP_TYP),
    issuedAt: now,
    expiresAt: new Date(payload.exp * 1000),
  });
}
