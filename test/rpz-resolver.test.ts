/**
 * The DNS artifacts in real DNS software: named-checkzone accepts the RPZ, and Unbound
 * loaded with it (or with the unbound format) blocks listed domains and every name under
 * them while unlisted names still resolve.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Entry, renderArtifact } from '../src/core/formats.ts';
import { hasBinaries, type Resolver, startUnbound } from './support/resolver.ts';

const entries: Entry[] = [
  { key: '198.51.100.7', since: 1 },
  { key: 'alice.zz-shared-host.com', since: 2 },
  { key: 'xn--zz-bcher-f2a.com', since: 1 },
  { key: 'zz-abuse-two.com', since: 3 },
  { key: 'zzsmoke.net', since: 1 },
];
const context = { list: 'worst-of' as const, version: 7, createdAt: new Date('2026-11-20T12:00:00Z') };
const unlisted = ['local-data: "ok.zz-clean.com. A 192.0.2.10"', 'local-data: "bob.zz-shared-host.com. A 192.0.2.11"'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wol-dns-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const haveCheckzone = hasBinaries('named-checkzone');
const haveUnbound = hasBinaries('unbound', 'unbound-checkconf', 'dig');
if (!haveCheckzone) console.warn('skipping named-checkzone tests: install bind9-utils');
if (!haveUnbound) console.warn('skipping resolver tests: install unbound and bind9-dnsutils');

describe('the RPZ in named-checkzone', () => {
  it.skipIf(!haveCheckzone).each([
    ['a list', entries, undefined],
    ['an empty list', [], undefined],
    ['a list with a block page', entries, 'stop.zz-isp.test'],
  ])('accepts %s', async (name, list, blockPageHost) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.rpz`);
    await writeFile(file, renderArtifact('rpz', list, { ...context, blockPageHost }));
    const out = execFileSync('named-checkzone', ['rpz.worstof', file], { encoding: 'utf8' });
    expect(out).toContain('loaded serial 7');
    expect(out.trim().endsWith('OK')).toBe(true);
  });
});

describe.skipIf(!haveUnbound)('Unbound loaded with the RPZ', () => {
  let resolver: Resolver;
  beforeAll(async () => {
    await writeFile(path.join(dir, 'list.rpz'), renderArtifact('rpz', entries, context));
    resolver = await startUnbound(
      dir,
      ['module-config: "respip iterator"', ...unlisted],
      ['rpz:', '  name: "rpz.worstof."', `  zonefile: "${path.join(dir, 'list.rpz')}"`],
    );
  });
  afterAll(() => resolver?.stop());

  it.each([
    'zzsmoke.net',
    'www.zzsmoke.net',
    'deep.img.zz-abuse-two.com',
    'alice.zz-shared-host.com',
    'x.alice.zz-shared-host.com',
    'xn--zz-bcher-f2a.com',
  ])('answers NXDOMAIN for %s', (name) => {
    expect(resolver.query(name).status).toBe('NXDOMAIN');
  });

  it('still resolves unlisted names, including a sibling under a shared host', () => {
    expect(resolver.query('ok.zz-clean.com')).toEqual({ status: 'NOERROR', answers: ['A 192.0.2.10'] });
    expect(resolver.query('bob.zz-shared-host.com')).toEqual({ status: 'NOERROR', answers: ['A 192.0.2.11'] });
  });
});

describe.skipIf(!haveUnbound)('Unbound loaded with an RPZ that points at a block page', () => {
  let resolver: Resolver;
  beforeAll(async () => {
    const sub = await mkdtemp(path.join(dir, 'stop-'));
    await writeFile(
      path.join(sub, 'list.rpz'),
      renderArtifact('rpz', entries, { ...context, blockPageHost: 'stop.zz-isp.test' }),
    );
    // The CNAME is chased through the iterator, which sees auth-zones but not local-data.
    await writeFile(
      path.join(sub, 'isp.zone'),
      '$TTL 300\n@ SOA localhost. hostmaster.localhost. 1 3600 600 604800 300\n@ NS localhost.\nstop A 192.0.2.99\n',
    );
    resolver = await startUnbound(
      sub,
      ['module-config: "respip iterator"', ...unlisted],
      [
        'rpz:',
        '  name: "rpz.worstof."',
        `  zonefile: "${path.join(sub, 'list.rpz')}"`,
        'auth-zone:',
        '  name: "zz-isp.test."',
        `  zonefile: "${path.join(sub, 'isp.zone')}"`,
        '  for-upstream: yes',
      ],
    );
  });
  afterAll(() => resolver?.stop());

  it('answers listed names with a CNAME to the STOP page', () => {
    const answer = resolver.query('www.zzsmoke.net');
    expect(answer).toEqual({ status: 'NOERROR', answers: ['CNAME stop.zz-isp.test.', 'A 192.0.2.99'] });
    expect(resolver.query('ok.zz-clean.com').answers).toEqual(['A 192.0.2.10']);
  });
});

describe.skipIf(!haveUnbound)('Unbound with the unbound format included', () => {
  let resolver: Resolver;
  beforeAll(async () => {
    const sub = await mkdtemp(path.join(dir, 'inc-'));
    await writeFile(path.join(sub, 'list.unbound'), renderArtifact('unbound', entries, context));
    resolver = await startUnbound(sub, [...unlisted, `include: "${path.join(sub, 'list.unbound')}"`]);
  });
  afterAll(() => resolver?.stop());

  it('answers NXDOMAIN for listed domains and their subdomains, and resolves the rest', () => {
    expect(resolver.query('zz-abuse-two.com').status).toBe('NXDOMAIN');
    expect(resolver.query('a.b.zzsmoke.net').status).toBe('NXDOMAIN');
    expect(resolver.query('ok.zz-clean.com').answers).toEqual(['A 192.0.2.10']);
  });
});
