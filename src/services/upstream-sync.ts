/**
 * A national instance following its upstream (issue 17). A sync fetches the upstream
 * timestamp and, when it names a newer version, the changes since the last stored version
 * (the whole list the first time or on a reset) with the newest manifest; it applies exactly
 * the checks `worstof pull` makes (core/verify.ts: EdDSA by a pinned key, not expired, no
 * rollback, no fork, the chain walked across a jump) and the entries' digest against the
 * manifest's. Only then does it store the version, manifest verbatim, in one transaction. A
 * failure stores nothing but the error, counts it and logs it: the national list stays as it was.
 */
import { sql } from 'drizzle-orm';
import { applyChanges, bytewise, diffKeys } from '../core/diff.ts';
import { NOTIFICATION_TYP, notificationPayload } from '../core/notification.ts';
import { SignatureError, verifyCompact } from '../core/signing.ts';
import { sha256Hex } from '../core/tokens.ts';
import {
  type AcceptedState,
  checkChain,
  checkEntries,
  checkProgress,
  VerificationError,
  verifyManifest,
  verifyTimestamp,
} from '../core/verify.ts';
import { inTransaction } from '../db/database.ts';
import { failureMessage } from '../db/errors.ts';
import {
  getUpstreamState,
  insertUpstreamVersion,
  lastUpstreamVersion,
  updateUpstreamState,
  upstreamKeysAt,
} from '../db/repositories/upstream.ts';
import type { Deps } from '../deps.ts';
import { listChanges } from '../schemas/list.ts';
import { NotFoundError } from './errors.ts';
import type { SyncOutcome } from './sync-queue.ts';

/** Any constant works; every national instance on one database must agree on it. */
const SYNC_LOCK = 0x776f6d;
const FETCH_TIMEOUT_MS = 30_000;

/** The upstream could not be asked (unreachable, an HTTP error): `reason` is a metrics label. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    readonly reason: 'unreachable' | 'http_4xx' | 'http_5xx' | 'bad_response',
    message: string,
  ) {
    super(message);
  }
}

export function upstreamOf(deps: Deps) {
  const { WOL_UPSTREAM_URL: url, WOL_UPSTREAM_TOKEN: token, WOL_UPSTREAM_JWKS: jwks } = deps.config;
  if (!url || !token || !jwks) throw new NotFoundError('not_national', 'this instance follows no upstream');
  return { url: url.replace(/\/+$/, ''), token, jwks: { keys: jwks.keys } };
}

/** Runs a sync after any under way (or joins the one already waiting); never rejects. */
export function syncUpstream(deps: Deps): Promise<SyncOutcome> {
  return deps.syncQueue.run(() => syncOnce(deps));
}

async function syncOnce(deps: Deps): Promise<SyncOutcome> {
  const t0 = performance.now();
  try {
    const result = await attempt(deps);
    deps.metrics?.upstreamSync?.({ outcome: 'ok' });
    deps.log.info(
      { upstream: { ...result, durationMs: Math.round(performance.now() - t0) } },
      result.changed ? 'upstream version stored' : 'upstream is current',
    );
    if (result.changed) deps.upstreamChanged?.();
    return { ok: true, ...result };
  } catch (error) {
    const reason =
      error instanceof VerificationError || error instanceof UpstreamError
        ? error instanceof VerificationError
          ? error.code
          : error.reason
        : 'error';
    const message = (
      error instanceof VerificationError || error instanceof UpstreamError ? error.message : failureMessage(error)
    ).slice(0, 500);
    deps.metrics?.upstreamSync?.({ outcome: 'failed', reason });
    deps.log.warn({ upstream: { reason, message } }, 'upstream sync failed: the national list is unchanged');
    await updateUpstreamState(deps.db, { errorReason: reason, errorMessage: message, errorAt: deps.clock() }).catch(
      (e) => deps.log.error({ err: e }, 'could not record the upstream sync failure'),
    );
    return { ok: false, reason, message };
  }
}

async function attempt(deps: Deps): Promise<{ changed: boolean; version: number }> {
  const { url, token, jwks } = upstreamOf(deps);
  const get = (path: string) => fetchUpstream(`${url}${path}`, token);
  const now = deps.clock();

  const timestamp = await verifyTimestamp(await (await get('/v1/list/timestamp')).text(), jwks, now);
  const last = await lastUpstreamVersion(deps.db);
  const accepted: AcceptedState | null = last ? { version: last.version, manifestSha256: last.manifestSha256 } : null;
  if (accepted && timestamp.latest < accepted.version)
    throw new VerificationError(
      'rollback',
      `the upstream timestamp names version ${timestamp.latest}, older than the accepted version ${accepted.version}`,
    );
  if (accepted && timestamp.latest === accepted.version) {
    if (timestamp.manifestSha256 !== accepted.manifestSha256)
      throw new VerificationError('fork', `a different manifest for the accepted version ${accepted.version}`);
    await updateUpstreamState(deps.db, { syncedAt: now, timestampExpiresAt: new Date(timestamp.exp * 1000) });
    return { changed: false, version: accepted.version };
  }

  const parsed = listChanges.safeParse(
    await (await get(`/v1/list/changes?since=${accepted?.version ?? 0}`)).json().catch(() => null),
  );
  if (!parsed.success) throw new UpstreamError('bad_response', 'the upstream changes are not a changes document');
  const changes = parsed.data;
  const manifestText = changes.manifest.trim();
  const manifest = await verifyManifest(manifestText, jwks, now);
  const manifestSha256 = sha256Hex(manifestText);
  checkProgress(manifest, manifestSha256, accepted);
  if (manifest.version < timestamp.latest)
    throw new VerificationError(
      'rollback',
      `the upstream manifest is version ${manifest.version}, older than its timestamp's ${timestamp.latest}`,
    );
  if (accepted) await checkChain(async (v) => (await get(`/v1/list/${v}/manifest`)).text(), jwks, manifest, accepted);
  if (timestamp.latest === manifest.version && timestamp.manifestSha256 !== manifestSha256)
    throw new VerificationError('fork', `the timestamp and the manifest of version ${manifest.version} differ`);
  if (changes.toVersion !== manifest.version || (!changes.reset && changes.fromVersion !== (accepted?.version ?? 0)))
    throw new VerificationError('bad_changes', `the changes do not lead to version ${manifest.version}`);

  const stored = accepted ? await upstreamKeysAt(deps.db, accepted.version) : [];
  const keys = changes.reset
    ? [...new Set(changes.added)].sort(bytewise)
    : applyChanges(stored, changes.added, changes.removed);
  checkEntries(manifest, keys);
  const { added, removed } = diffKeys(new Set(stored), new Set(keys));

  const stale = await inTransaction(deps.db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SYNC_LOCK})`);
    // Another instance on this database may have stored a version meanwhile: its record stands.
    if ((await lastUpstreamVersion(tx))?.version !== accepted?.version) return true;
    await insertUpstreamVersion(
      tx,
      { version: manifest.version, manifest: manifestText, manifestSha256, entryCount: keys.length, syncedAt: now },
      added,
      removed,
    );
    await updateUpstreamState(tx, { syncedAt: now, timestampExpiresAt: new Date(timestamp.exp * 1000) });
    return false;
  });
  return { changed: !stale, version: manifest.version };
}

async function fetchUpstream(url: string, token: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new UpstreamError('unreachable', `${new URL(url).pathname}: ${cause}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new UpstreamError(
      response.status >= 500 ? 'http_5xx' : 'http_4xx',
      `${new URL(url).pathname} answered ${response.status}`,
    );
  }
  return response;
}

/** GET /v1/upstream: what the national instance follows and how the last syncs went. */
export async function upstreamStatus(deps: Deps) {
  const { url } = upstreamOf(deps);
  const [last, state] = await Promise.all([lastUpstreamVersion(deps.db), getUpstreamState(deps.db)]);
  const now = deps.clock();
  const syncedAt = state?.syncedAt ?? null;
  const timestampExpiresAt = state?.timestampExpiresAt ?? null;
  // Stale: no verified answer within two poll intervals, or the upstream's own timestamp has expired.
  const stale =
    syncedAt === null ||
    now.getTime() - syncedAt.getTime() > 2 * deps.config.WOL_UPSTREAM_POLL * 1000 ||
    (timestampExpiresAt !== null && timestampExpiresAt <= now);
  return {
    url,
    version: last?.version ?? null,
    manifestSha256: last?.manifestSha256 ?? null,
    entryCount: last?.entryCount ?? null,
    versionSyncedAt: last?.syncedAt ?? null,
    syncedAt,
    timestampExpiresAt,
    stale,
    lastError: state?.errorReason
      ? { reason: state.errorReason, message: state.errorMessage ?? '', at: state.errorAt }
      : null,
  };
}

/**
 * POST /v1/upstream/notify: the central webhook's signed new-version notification, verified
 * against the pinned keys (the same typ and key rules as a manifest), starts a sync at once.
 * Anything that does not verify is refused before anything else happens.
 */
export async function acceptNotification(deps: Deps, jws: string): Promise<{ version: number; started: boolean }> {
  const { jwks } = upstreamOf(deps);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await verifyCompact(jws.trim(), jwks, NOTIFICATION_TYP));
  } catch (error) {
    if (error instanceof SignatureError) throw new VerificationError(error.code, error.message);
    throw error;
  }
  const parsed = notificationPayload.safeParse(payload);
  if (!parsed.success) throw new VerificationError('bad_payload', 'not a new-version notification');
  // A replayed notification of a version stored already starts nothing.
  const stored = await lastUpstreamVersion(deps.db);
  const started = !stored || parsed.data.version > stored.version;
  if (started) void syncUpstream(deps);
  return { version: parsed.data.version, started };
}
