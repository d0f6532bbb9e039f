/**
 * The list as a read-only TAXII 2.1 collection (core/stix.ts for the objects, core/taxii.ts
 * for paging). Every answer is a pull: recorded with format `taxii` and the version read.
 */
import { LIST_NAME } from '../core/manifest.ts';
import { collectionId, identityId, indicator, indicatorId, producerIdentity, type StixContext } from '../core/stix.ts';
import {
  type Cursor,
  cursorDigest,
  DEFAULT_PAGE,
  decodeCursor,
  encodeCursor,
  MAX_PAGE,
  STIX_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
  type VersionFilter,
} from '../core/taxii.ts';
import { getSnapshot, latestSnapshot, type SnapshotRow } from '../db/repositories/snapshots.ts';
import { listingOrdinals, type ObjectVersionRow, objectVersions } from '../db/repositories/taxii.ts';
import type { Deps } from '../deps.ts';
import type { Call } from './caller.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { pageOf } from './paging.ts';
import type { Listing } from './taxii-index.ts';

export const API_ROOT = 'worstof';
const context: StixContext = { listName: LIST_NAME };

/** A `next` this server cannot resume from: not one it gave, or from a state it no longer has (416). */
export class TaxiiRangeError extends ConflictError {
  override name = 'TaxiiRangeError';
}

export interface TaxiiFilters {
  addedAfter?: Date | undefined;
  limit?: number | undefined;
  next?: string | undefined;
  ids?: string[] | undefined;
  types?: string[] | undefined;
  versions: VersionFilter;
  specVersions?: string[] | undefined;
}

export interface Page<T> {
  items: T[];
  more: boolean;
  next?: string;
  /** The date added of the first and last item: X-TAXII-Date-Added-First and -Last. */
  first?: Date;
  last?: Date;
}

/** A collection's id and the filters of a request for its objects. */
interface CollectionQuery {
  id: string;
  filters: TaxiiFilters;
}

export function recordTaxiiPull(
  deps: Deps,
  { caller: { principal: who, ip }, input: { version, status } }: Call<{ version: number | null; status: number }>,
) {
  deps.pullCache.recordPull({ credentialId: who.credentialId, version, format: 'taxii', status, at: deps.clock(), ip });
  deps.metrics?.pull({ role: who.role, format: 'taxii', status });
}

const latest = (deps: Deps) => deps.pullCache.latest(() => latestSnapshot(deps.db));

export async function taxiiDiscovery(deps: Deps, { caller, input: { base } }: Call<{ base: string }>) {
  recordTaxiiPull(deps, { caller, input: { version: (await latest(deps))?.version ?? null, status: 200 } });
  const root = `${base}/taxii2/${API_ROOT}/`;
  return {
    title: 'worstof',
    description: `The ${LIST_NAME} list as a TAXII 2.1 collection of STIX 2.1 indicators`,
    default: root,
    api_roots: [root],
  };
}

export async function taxiiApiRoot(deps: Deps, { caller }: Call) {
  recordTaxiiPull(deps, { caller, input: { version: (await latest(deps))?.version ?? null, status: 200 } });
  return {
    title: LIST_NAME,
    description: 'Read-only: one collection, the list',
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: deps.config.WOL_MAX_BODY_BYTES,
  };
}

const collection = () => ({
  id: collectionId(LIST_NAME),
  title: LIST_NAME,
  description: `Every key on the ${LIST_NAME} list: one indicator per listing, revoked when the key leaves the list`,
  can_read: true,
  can_write: false,
  media_types: [STIX_MEDIA_TYPE],
});

export async function taxiiCollections(deps: Deps, { caller }: Call) {
  recordTaxiiPull(deps, { caller, input: { version: (await latest(deps))?.version ?? null, status: 200 } });
  return { collections: [collection()] };
}

function requireCollection(id: string) {
  if (id !== collectionId(LIST_NAME))
    throw new NotFoundError('unknown_collection', `there is no collection ${JSON.stringify(id)}`);
}

export async function taxiiCollection(deps: Deps, { caller, input: { id } }: Call<{ id: string }>) {
  requireCollection(id);
  recordTaxiiPull(deps, { caller, input: { version: (await latest(deps))?.version ?? null, status: 200 } });
  return collection();
}

/** The state a query reads: the newest version, or the one its `next` was read at. */
async function stateOf(deps: Deps, next: string | undefined): Promise<{ snapshot?: SnapshotRow; after?: Cursor }> {
  if (next === undefined) return { snapshot: await latest(deps) };
  const cursor = decodeCursor(next);
  if (!cursor) throw new TaxiiRangeError('bad_next', 'next is not a value this server gave: start without it');
  const snapshot = await getSnapshot(deps.db, cursor.asOf);
  if (!snapshot || cursorDigest(snapshot.manifestSha256) !== cursor.digest)
    throw new TaxiiRangeError('stale_next', 'next names a state of the list this server no longer has: start again');
  return { snapshot, after: cursor };
}

async function listingsById(deps: Deps): Promise<Map<string, Listing>> {
  const snapshot = await latest(deps);
  if (!snapshot) return new Map();
  const known = deps.taxiiIndex.current;
  if (known && known.version === snapshot.version && known.digest === snapshot.manifestSha256) return known.byId;
  const byId = new Map<string, Listing>();
  for (const l of await listingOrdinals(deps.db, snapshot.version))
    byId.set(indicatorId(LIST_NAME, l.listKey, l.ordinal), { listKey: l.listKey, addedVersion: l.addedVersion });
  deps.taxiiIndex.current = { version: snapshot.version, digest: snapshot.manifestSha256, byId };
  return byId;
}

async function readPage(
  deps: Deps,
  filters: TaxiiFilters,
): Promise<{ rows: Page<ObjectVersionRow>; asOf: number | null }> {
  const { snapshot, after } = await stateOf(deps, filters.next);
  const empty = { rows: { items: [], more: false }, asOf: snapshot?.version ?? null };
  if (!snapshot) return empty;
  if (filters.specVersions && !filters.specVersions.includes('2.1')) return empty;
  const types = filters.types ?? ['identity', 'indicator'];
  let identity = types.includes('identity');
  const indicators = types.includes('indicator');
  let listings: Listing[] | undefined;
  if (filters.ids) {
    const byId = await listingsById(deps);
    identity &&= filters.ids.includes(identityId(LIST_NAME));
    listings = filters.ids.flatMap((id) => byId.get(id) ?? []);
    if (!identity && listings.length === 0) return empty;
  }
  const limit = Math.min(filters.limit ?? DEFAULT_PAGE, MAX_PAGE);
  const found = await objectVersions(deps.db, {
    asOf: snapshot.version,
    ...(after ? { after: { version: after.version, listKey: after.listKey } } : {}),
    ...(filters.addedAfter ? { addedAfter: filters.addedAfter } : {}),
    identity,
    indicators,
    ...(listings ? { listings } : {}),
    versions: filters.versions,
    limit: limit + 1,
  });
  const { items, next } = pageOf(found, limit, (last) =>
    encodeCursor({
      asOf: snapshot.version,
      digest: cursorDigest(snapshot.manifestSha256),
      version: last.version,
      listKey: last.listKey,
    }),
  );
  const last = items.at(-1);
  const page: Page<ObjectVersionRow> = { items, more: next !== null };
  if (next !== null) page.next = next;
  if (items[0] && last) {
    page.first = items[0].dateAdded;
    page.last = last.dateAdded;
  }
  return { rows: page, asOf: snapshot.version };
}

function stixObject(row: ObjectVersionRow): Record<string, unknown> {
  if (row.kind === 'identity') return producerIdentity(context, row.listedAt);
  return indicator(context, {
    listKey: row.listKey,
    ordinal: row.ordinal,
    listedAt: row.listedAt,
    revokedAt: row.revoked ? row.modified : null,
  });
}

const idOf = (row: ObjectVersionRow) =>
  row.kind === 'identity' ? identityId(LIST_NAME) : indicatorId(LIST_NAME, row.listKey, row.ordinal);

const mapPage = <T>(page: Page<ObjectVersionRow>, map: (row: ObjectVersionRow) => T): Page<T> => ({
  ...page,
  items: page.items.map(map),
});

export async function taxiiObjects(deps: Deps, { caller, input: { id, filters } }: Call<CollectionQuery>) {
  requireCollection(id);
  const { rows, asOf } = await readPage(deps, filters);
  recordTaxiiPull(deps, { caller, input: { version: asOf, status: 200 } });
  return mapPage(rows, stixObject);
}

export async function taxiiManifest(deps: Deps, { caller, input: { id, filters } }: Call<CollectionQuery>) {
  requireCollection(id);
  const { rows, asOf } = await readPage(deps, filters);
  recordTaxiiPull(deps, { caller, input: { version: asOf, status: 200 } });
  return mapPage(rows, (row) => ({
    id: idOf(row),
    date_added: row.dateAdded.toISOString(),
    version: row.modified.toISOString(),
    media_type: STIX_MEDIA_TYPE,
  }));
}

/** The versions of one object that pass the filters; 404 for an id the collection never held. */
async function oneObject(deps: Deps, id: string, objectId: string, filters: TaxiiFilters) {
  requireCollection(id);
  const known =
    (objectId === identityId(LIST_NAME) && (await latest(deps)) !== undefined) ||
    (await listingsById(deps)).has(objectId);
  if (!known) throw new NotFoundError('unknown_object', `the collection holds no object ${JSON.stringify(objectId)}`);
  return readPage(deps, { ...filters, ids: [objectId], types: undefined });
}

export async function taxiiObject(
  deps: Deps,
  { caller, input: { id, objectId, filters } }: Call<CollectionQuery & { objectId: string }>,
) {
  const { rows, asOf } = await oneObject(deps, id, objectId, filters);
  recordTaxiiPull(deps, { caller, input: { version: asOf, status: 200 } });
  return mapPage(rows, stixObject);
}

export async function taxiiVersions(
  deps: Deps,
  {
    caller,
    input: { id, objectId, filters },
  }: Call<{ id: string; objectId: string; filters: Omit<TaxiiFilters, 'versions'> }>,
) {
  const all = { all: true, first: false, last: false, at: [] };
  const { rows, asOf } = await oneObject(deps, id, objectId, { ...filters, versions: all });
  recordTaxiiPull(deps, { caller, input: { version: asOf, status: 200 } });
  return mapPage(rows, (row) => row.modified.toISOString());
}
