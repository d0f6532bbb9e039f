/**
 * The list as STIX 2.1: one `indicator` per listing of a key, an `identity` for the list's
 * producer, ids by UUIDv5 so every instance and every request names an object the same way.
 * Pure: timestamps come in from the listing intervals (a version's created_at), never a clock.
 *
 * STIX makes revocation permanent ("future versions of the object with this id MUST NOT be
 * created"), so a key that is listed again after a removal gets a new indicator: the n-th
 * listing of `example.com` is named from `example.com#n` (the first from the bare key).
 */
import { createHash } from 'node:crypto';
import { isIpKey } from './formats.ts';

/** The namespace of every worstof STIX id: uuidv5(URL namespace, 'urn:worstof:stix'). */
export const STIX_ROOT_NAMESPACE = '1725e65d-4b99-5f15-96e8-0aed25dcd0dd';

/** TLP:AMBER (STIX 2.1 section 7.2.1.4): recipients share it only with those who need to know. */
export const TLP_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidv5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The namespace of one list's objects; a national list (another name) names its own. */
export const listNamespace = (listName: string) => uuidv5(STIX_ROOT_NAMESPACE, listName);

// 'collection' and 'identity' are no list key (a key is a registrable domain or an address).
export const collectionId = (listName: string) => uuidv5(listNamespace(listName), 'collection');
export const identityId = (listName: string) => `identity--${uuidv5(listNamespace(listName), 'identity')}`;

/** The indicator of the `ordinal`-th listing (1 for the first) of `listKey`. */
export function indicatorId(listName: string, listKey: string, ordinal: number): string {
  const name = ordinal === 1 ? listKey : `${listKey}#${ordinal}`;
  return `indicator--${uuidv5(listNamespace(listName), name)}`;
}

/** STIX timestamps: UTC, `Z`, exactly millisecond precision (required for created and modified). */
export const stixTimestamp = (at: Date) => at.toISOString();

/** A STIX string literal: quotes and backslashes escaped (STIX 2.1 patterning, section 9.2). */
const literal = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/** `[domain-name:value = 'key']`, or the ipv4-addr / ipv6-addr object for an address key. */
export function indicatorPattern(listKey: string): string {
  const type = !isIpKey(listKey) ? 'domain-name' : listKey.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
  return `[${type}:value = ${literal(listKey)}]`;
}

/** One version of one listing, as the listing intervals give it. */
export interface IndicatorVersion {
  listKey: string;
  ordinal: number;
  /** When the listing began: the created_at of its added_version. */
  listedAt: Date;
  /** Set on the version that records the removal: when the removal's version was made. */
  revokedAt: Date | null;
}

export interface StixContext {
  listName: string;
}

export function indicator(context: StixContext, version: IndicatorVersion): Record<string, unknown> {
  const { listKey, listedAt, revokedAt } = version;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: indicatorId(context.listName, listKey, version.ordinal),
    created_by_ref: identityId(context.listName),
    created: stixTimestamp(listedAt),
    modified: stixTimestamp(revokedAt ?? listedAt),
    name: listKey,
    indicator_types: ['malicious-activity'],
    pattern: indicatorPattern(listKey),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: stixTimestamp(listedAt),
    ...(revokedAt ? { valid_until: stixTimestamp(revokedAt) } : {}),
    revoked: revokedAt !== null,
    object_marking_refs: [TLP_AMBER],
  };
}

/** The list's producer; `since` is when the list's first version was made. */
export function producerIdentity(context: StixContext, since: Date): Record<string, unknown> {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: identityId(context.listName),
    created: stixTimestamp(since),
    modified: stixTimestamp(since),
    name: context.listName,
    description: `The producer of the ${context.listName} list.`,
    identity_class: 'organization',
    object_marking_refs: [TLP_AMBER],
  };
}
