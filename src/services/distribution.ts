/**
 * The pull protocol: manifests, the timestamp, artifacts by version and format, changes
 * since a version. Everything served is stored bytes; nothing is rendered per request.
 * Every pull is recorded (credential, version, format, status).
 */
import { type Format, formats } from '../core/formats.ts';
import type { ZoneTransferType } from '../core/vocabulary.ts';
import { ispZoneTransfers, pullStatus } from '../db/repositories/pulls.ts';
import {
  changesBetween,
  currentTimestamp,
  entriesAt,
  getArtifact,
  getSnapshot,
  latestSnapshot,
  type SnapshotRow,
} from '../db/repositories/snapshots.ts';
import type { Deps } from '../deps.ts';
import type { IspStatus, NcbStatus } from '../schemas/ncb.ts';
import type { ArtifactBody, ArtifactKey } from './artifact-cache.ts';
import type { Call } from './caller.ts';
import { ConflictError, GoneError, InvalidInputError, NotFoundError, UnavailableError } from './errors.ts';
import type { Principal } from './principal.ts';

export type VersionSpec = 'latest' | number;

async function resolveSnapshot(deps: Deps, spec: VersionSpec): Promise<SnapshotRow> {
  if (spec === 'latest') {
    const latest = await deps.pullCache.latest(() => latestSnapshot(deps.db));
    if (!latest) throw new UnavailableError('no_snapshot', 'no version has been built yet');
    return latest;
  }
  const row = await getSnapshot(deps.db, spec);
  if (!row) throw new NotFoundError('unknown_version', `there is no version ${spec}`);
  return row;
}

export function parseFormat(format: string): Format {
  if (!(formats as readonly string[]).includes(format))
    throw new NotFoundError(
      'unknown_format',
      `unknown format ${JSON.stringify(format)}; formats: ${formats.join(', ')}`,
    );
  return format as Format;
}

function recordPull(
  deps: Deps,
  who: Principal,
  version: number | null,
  format: string,
  status: number,
  ip: string | null,
) {
  deps.pullCache.recordPull({ credentialId: who.credentialId, version, format, status, at: deps.clock(), ip });
  deps.metrics?.pull({ role: who.role, format, status });
}

export interface ArtifactAnswer {
  version: number;
  format: Format;
  sha256: string;
  /** When the version was built: the artifact's Last-Modified. */
  lastModified: Date;
  /** Absent when the client's copy is current (304). */
  body?: { bytes: Uint8Array; digest: string; gzip: boolean };
}

export interface ArtifactRequest {
  version: VersionSpec;
  format: Format;
  /** The digests an If-None-Match names; null without the header. */
  knownSha256: readonly string[] | null;
  /** An If-Modified-Since date, read only without If-None-Match (RFC 9110 section 13.2.2). */
  modifiedSince: Date | null;
  gzip: boolean;
}

/**
 * An artifact, or just "not modified" when `knownSha256` names its digest or, for clients
 * that revalidate by date, the version is no newer than `modifiedSince`.
 */
export async function pullArtifact(
  deps: Deps,
  { caller: { principal: who, ip }, input: request }: Call<ArtifactRequest>,
): Promise<ArtifactAnswer> {
  const snapshot = await resolveSnapshot(deps, request.version);
  const artifact = await artifactBody(deps, {
    version: snapshot.version,
    manifestSha256: snapshot.manifestSha256,
    format: request.format,
    encoding: request.gzip ? 'gzip' : 'identity',
  });
  if (!artifact)
    throw new GoneError('artifact_gone', `the artifacts of version ${snapshot.version} are no longer kept`);
  const notModified =
    request.knownSha256 !== null
      ? request.knownSha256.includes(artifact.sha256)
      : request.modifiedSince !== null && (await unmodifiedSince(deps, snapshot, request));
  recordPull(deps, who, snapshot.version, request.format, notModified ? 304 : 200, ip);
  const answer = {
    version: snapshot.version,
    format: request.format,
    sha256: artifact.sha256,
    lastModified: snapshot.createdAt,
  };
  if (notModified) return answer;
  return { ...answer, body: { bytes: artifact.bytes, digest: artifact.digest, gzip: request.gzip } };
}

const wholeSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * HTTP dates have whole seconds. A versioned URL names one artifact for ever, so any date at
 * or after its build is current. For `latest`, a date in the same second as the newest build
 * is ambiguous when the version before it was built in that second too: the client may hold
 * either, so it gets the artifact.
 */
async function unmodifiedSince(deps: Deps, snapshot: SnapshotRow, request: ArtifactRequest): Promise<boolean> {
  const since = wholeSeconds(request.modifiedSince!);
  const built = wholeSeconds(snapshot.createdAt);
  if (built > since) return false;
  if (request.version !== 'latest' || built < since || snapshot.version === 1) return true;
  const previous = await getSnapshot(deps.db, snapshot.version - 1);
  return !previous || wholeSeconds(previous.createdAt) < built;
}

/** One encoding of an artifact: from the shared cache where the runtime has one, else this process's or the database. */
async function artifactBody(deps: Deps, key: ArtifactKey): Promise<ArtifactBody | undefined> {
  const hit = await deps.artifactCache?.get(key);
  if (hit) return hit;
  const { version, format, manifestSha256 } = key;
  const row = await deps.pullCache.artifact(`${version}.${manifestSha256}.${format}`, () =>
    getArtifact(deps.db, version, format),
  );
  if (!row) return undefined;
  const body =
    key.encoding === 'gzip'
      ? { sha256: row.sha256, bytes: row.gzip, digest: row.gzipSha256 }
      : { sha256: row.sha256, bytes: row.bytes, digest: row.sha256 };
  await deps.artifactCache?.put(key, body);
  return body;
}

export async function pullManifest(
  deps: Deps,
  { caller: { principal: who, ip }, input: { version } }: Call<{ version: VersionSpec }>,
) {
  const snapshot = await resolveSnapshot(deps, version);
  recordPull(deps, who, snapshot.version, 'manifest', 200, ip);
  return { version: snapshot.version, manifest: snapshot.manifest, manifestSha256: snapshot.manifestSha256 };
}

export async function pullTimestamp(deps: Deps, { caller: { principal: who, ip } }: Call) {
  const row = await currentTimestamp(deps.db);
  if (!row) throw new UnavailableError('no_snapshot', 'no version has been built yet');
  recordPull(deps, who, row.version, 'timestamp', 200, ip);
  return row;
}

const RESET_PAGE = 1_000_000;

/**
 * Keys added and removed since `since`, with the newest manifest to check the result
 * against. Older than the kept window (or 0): a reset, whose `added` is the whole list.
 */
export async function pullChanges(
  deps: Deps,
  { caller: { principal: who, ip }, input: { since } }: Call<{ since: number }>,
) {
  const latest = await resolveSnapshot(deps, 'latest');
  if (since > latest.version)
    throw new ConflictError(
      'version_ahead',
      `version ${since} is newer than the newest (${latest.version}): refuse this server or reset`,
    );
  if (since < 0) throw new InvalidInputError('bad_version', 'since must be 0 or more');
  recordPull(deps, who, latest.version, 'changes', 200, ip);
  const oldestKept = Math.max(1, latest.version - deps.config.WOL_KEEP_VERSIONS + 1);
  if (since < oldestKept) {
    const entries = await entriesAt(deps.db, latest.version, undefined, RESET_PAGE);
    return {
      reset: true,
      fromVersion: null,
      toVersion: latest.version,
      added: entries.map((e) => e.listKey),
      removed: [] as string[],
      manifest: latest.manifest,
    };
  }
  const { added, removed } =
    since === latest.version ? { added: [], removed: [] } : await changesBetween(deps.db, since, latest.version);
  return { reset: false, fromVersion: since, toVersion: latest.version, added, removed, manifest: latest.manifest };
}

/** An NCB's view of the ISPs of its country: the version each last pulled and how far behind it is. */
export async function ncbIspStatus(deps: Deps, { caller: { principal: who } }: Call): Promise<IspStatus> {
  await deps.pullCache.flush();
  const latest = await latestSnapshot(deps.db);
  const country = who.country ?? '--';
  const rows = await pullStatus(deps.db, { kind: 'isp', country });
  const behind = (version: number | null) => (version === null || !latest ? null : latest.version - version);
  // Zone transfers per credential: a secondary's serial is the version it holds, its currency.
  const transfers = (await ispZoneTransfers(deps.db, country, deps.clock())).map((t) => ({
    organisationId: t.organisation_id,
    credentialId: t.credential_id,
    label: t.label,
    usableKeys: Number(t.usable_keys),
    axfr: Number(t.axfr),
    ixfr: Number(t.ixfr),
    serial: t.serial,
    versionsBehind: behind(t.serial),
    lastVia: t.last_via as ZoneTransferType | null,
    lastAt: t.last_at === null ? null : new Date(t.last_at),
  }));
  return {
    latestVersion: latest?.version ?? null,
    items: rows.map((r) => ({
      organisationId: r.organisation_id,
      name: r.name,
      credentials: Number(r.credentials),
      activeCredentials: Number(r.active_credentials),
      lastPulledVersion: r.version,
      lastPulledFormat: r.format,
      lastPulledAt: r.at === null ? null : new Date(r.at),
      versionsBehind: behind(r.version),
      zoneTransfers: transfers
        .filter((t) => t.organisationId === r.organisation_id)
        .map(({ organisationId: _, ...t }) => t),
    })),
  };
}

/**
 * The central operator's view of the NCBs (issue 17): each NCB organisation's newest pull,
 * which for a national instance is its last sync (timestamp, changes or manifest), and how far
 * behind the newest version that is.
 */
export async function ncbSyncStatus(deps: Deps): Promise<NcbStatus> {
  await deps.pullCache.flush();
  const [latest, rows] = await Promise.all([latestSnapshot(deps.db), pullStatus(deps.db, { kind: 'ncb' })]);
  return {
    latestVersion: latest?.version ?? null,
    items: rows.map((r) => ({
      organisationId: r.organisation_id,
      name: r.name,
      country: r.country,
      credentials: Number(r.credentials),
      activeCredentials: Number(r.active_credentials),
      lastPulledVersion: r.version,
      lastPulledFormat: r.format,
      lastPulledAt: r.at === null ? null : new Date(r.at),
      versionsBehind: r.version === null || !latest ? null : latest.version - r.version,
    })),
  };
}
