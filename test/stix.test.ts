/** The STIX/TAXII mapping in the core, by literal cases (ids checked against Python's uuid.uuid5). */
import { describe, expect, it } from 'vitest';
import {
  collectionId,
  identityId,
  indicator,
  indicatorId,
  indicatorPattern,
  listNamespace,
  producerIdentity,
  STIX_ROOT_NAMESPACE,
  uuidv5,
} from '../src/core/stix.ts';
import {
  acceptsTaxii,
  decodeCursor,
  encodeCursor,
  parseTimestamp,
  parseVersionFilter,
  splitList,
} from '../src/core/taxii.ts';

describe('uuidv5 and the ids derived from the list', () => {
  it('is RFC 4122 version 5', () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    // uuid.uuid5(uuid.NAMESPACE_URL, 'urn:worstof:stix')
    expect(uuidv5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'urn:worstof:stix')).toBe(STIX_ROOT_NAMESPACE);
  });

  it('names the collection, the producer and each listing of a key', () => {
    expect(listNamespace('worst-of')).toBe('35b7a3ac-0e81-5af9-8d98-031ad4c23077');
    expect(collectionId('worst-of')).toBe('3ea4137e-4f59-50e8-869f-8a30f63deb23');
    expect(identityId('worst-of')).toBe('identity--a8c7fd5a-d173-5923-a4fc-c5f5ad13f3af');
    expect(indicatorId('worst-of', 'example.com', 1)).toBe('indicator--f2b206c5-d206-5422-9687-892309c9ca7c');
    // Listed again after a revocation: a new object (STIX forbids versions after a revocation).
    expect(indicatorId('worst-of', 'example.com', 2)).toBe('indicator--1696116a-27b5-5703-96a6-94f9d90c280a');
    expect(indicatorId('worst-of', '203.0.113.7', 1)).toBe('indicator--d3dabd6e-f577-5751-9c6e-c89848d02dca');
    // Another list (a national one) names its own objects.
    expect(indicatorId('national', 'example.com', 1)).not.toBe(indicatorId('worst-of', 'example.com', 1));
  });
});

describe('patterns', () => {
  it('matches the domain, or the address object for an address key', () => {
    expect(indicatorPattern('example.com')).toBe("[domain-name:value = 'example.com']");
    expect(indicatorPattern('xn--bcher-kva.example')).toBe("[domain-name:value = 'xn--bcher-kva.example']");
    expect(indicatorPattern('198.51.100.7')).toBe("[ipv4-addr:value = '198.51.100.7']");
    expect(indicatorPattern('2001:db8::1')).toBe("[ipv6-addr:value = '2001:db8::1']");
  });

  it('escapes quotes and backslashes in the literal', () => {
    expect(indicatorPattern("o'brien.example")).toBe("[domain-name:value = 'o\\'brien.example']");
    expect(indicatorPattern('a\\b.example')).toBe("[domain-name:value = 'a\\\\b.example']");
  });
});

describe('objects', () => {
  const listedAt = new Date('2026-05-01T10:00:00.000Z');
  const context = { listName: 'worst-of' };

  it('builds a listed indicator', () => {
    expect(indicator(context, { listKey: 'example.com', ordinal: 1, listedAt, revokedAt: null })).toEqual({
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--f2b206c5-d206-5422-9687-892309c9ca7c',
      created_by_ref: 'identity--a8c7fd5a-d173-5923-a4fc-c5f5ad13f3af',
      created: '2026-05-01T10:00:00.000Z',
      modified: '2026-05-01T10:00:00.000Z',
      name: 'example.com',
      indicator_types: ['malicious-activity'],
      pattern: "[domain-name:value = 'example.com']",
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: '2026-05-01T10:00:00.000Z',
      revoked: false,
      object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
    });
  });

  it('revokes it in a later version of the same object', () => {
    const revokedAt = new Date('2026-05-03T08:30:00.250Z');
    const listed = indicator(context, { listKey: 'example.com', ordinal: 1, listedAt, revokedAt: null });
    const revoked = indicator(context, { listKey: 'example.com', ordinal: 1, listedAt, revokedAt });
    expect(revoked).toEqual({
      ...listed,
      modified: '2026-05-03T08:30:00.250Z',
      valid_until: '2026-05-03T08:30:00.250Z',
      revoked: true,
    });
  });

  it('builds the producer identity', () => {
    expect(producerIdentity(context, listedAt)).toEqual({
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--a8c7fd5a-d173-5923-a4fc-c5f5ad13f3af',
      created: '2026-05-01T10:00:00.000Z',
      modified: '2026-05-01T10:00:00.000Z',
      name: 'worst-of',
      description: 'The producer of the worst-of list.',
      identity_class: 'organization',
      object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
    });
  });
});

describe('TAXII requests', () => {
  it('accepts TAXII 2.1 or anything, nothing else', () => {
    for (const yes of [
      undefined,
      '',
      '*/*',
      'application/*',
      'application/taxii+json',
      'application/taxii+json;version=2.1',
      'application/taxii+json; version="2.1"',
      'text/html, application/taxii+json;version=2.1;q=0.5',
      'Application/TAXII+JSON;Version=2.1',
    ])
      expect(acceptsTaxii(yes), String(yes)).toBe(true);
    for (const no of [
      'application/json',
      'application/taxii+json;version=2.0',
      'application/stix+json;version=2.1',
      'text/html',
      'application/taxii+json;version=2.1;q=0',
      '*/*;q=0',
    ])
      expect(acceptsTaxii(no), no).toBe(false);
  });

  it('reads RFC 3339 timestamps to the millisecond', () => {
    expect(parseTimestamp('2026-05-01T10:00:00Z')?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(parseTimestamp('2026-05-01T10:00:00.123456Z')?.toISOString()).toBe('2026-05-01T10:00:00.123Z');
    expect(parseTimestamp('2026-05-01T12:00:00.5+02:00')?.toISOString()).toBe('2026-05-01T10:00:00.500Z');
    expect(parseTimestamp('2026-05-01t10:00:00z')?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    for (const bad of [
      '2026-05-01',
      '2026-02-31T00:00:00Z',
      '2026-05-01T25:00:00Z',
      '2026-05-01T10:00:00',
      'yesterday',
    ])
      expect(parseTimestamp(bad), bad).toBeNull();
  });

  it('reads match[version]', () => {
    expect(parseVersionFilter(undefined)).toEqual({ all: false, first: false, last: true, at: [] });
    expect(parseVersionFilter('first,all')).toEqual({ all: true, first: true, last: false, at: [] });
    expect(parseVersionFilter('last, 2026-05-01T10:00:00.000Z')).toEqual({
      all: false,
      first: false,
      last: true,
      at: [new Date('2026-05-01T10:00:00.000Z')],
    });
    expect(parseVersionFilter('newest')).toBe('"newest" is not last, first, all or a timestamp');
    expect(parseVersionFilter(',')).toBe('expected a value');
    expect(splitList('indicator, identity,,')).toEqual(['indicator', 'identity']);
  });

  it('encodes a cursor and refuses what it did not make', () => {
    const cursor = { asOf: 12, digest: '0123456789abcdef', version: 7, listKey: 'example.com' };
    const next = encodeCursor(cursor);
    expect(next).toBe('12.0123456789abcdef.7.ZXhhbXBsZS5jb20');
    expect(decodeCursor(next)).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ ...cursor, version: 1, listKey: '' }))).toEqual({
      ...cursor,
      version: 1,
      listKey: '',
    });
    for (const bad of [
      '',
      'x',
      '12.0123456789abcdef.7',
      '0.0123456789abcdef.7.eA',
      '12.0123456789ABCDEF.7.eA',
      '12.0123456789abcdef.7.eA=',
    ])
      expect(decodeCursor(bad), bad).toBeNull();
  });
});
