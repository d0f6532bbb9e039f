import { describe, expect, it } from 'vitest';
import {
  type Entry,
  type Format,
  formats,
  isIpKey,
  mediaTypes,
  type RenderContext,
  renderArtifact,
} from '../src/core/formats.ts';

import { longestDomain } from './support/names.ts';

// Literal before/after fixtures: entries in, the exact artifact text out.
const entries: Entry[] = [
  { key: '198.51.100.7', since: 3 },
  { key: '2001:db8::7', since: 4 },
  { key: 'alice.zz-shared-host.com', since: 5 }, // a hostname-policy key
  { key: 'zz-abuse-two.com', since: 4 },
  { key: 'zzsmoke.net', since: 2 },
];
const context: RenderContext = { list: 'worst-of', version: 42, createdAt: new Date('2026-11-20T12:00:00Z') };

const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
const render = (format: Format, list: readonly Entry[] = entries, ctx: Partial<RenderContext> = {}) =>
  text(renderArtifact(format, list, { ...context, ...ctx }));

const expected: Record<Format, string> = {
  txt: '198.51.100.7\n2001:db8::7\nalice.zz-shared-host.com\nzz-abuse-two.com\nzzsmoke.net\n',
  json:
    '{"list":"worst-of","version":42,"createdAt":"2026-11-20T12:00:00.000Z","count":5,"entries":[' +
    '{"key":"198.51.100.7","kind":"ipv4","since":3},' +
    '{"key":"2001:db8::7","kind":"ipv6","since":4},' +
    '{"key":"alice.zz-shared-host.com","kind":"domain","since":5},' +
    '{"key":"zz-abuse-two.com","kind":"domain","since":4},' +
    '{"key":"zzsmoke.net","kind":"domain","since":2}]}\n',
  csv: `list_key,kind,listed_since_version
198.51.100.7,ipv4,3
2001:db8::7,ipv6,4
alice.zz-shared-host.com,domain,5
zz-abuse-two.com,domain,4
zzsmoke.net,domain,2
`,
  hosts: `# worst-of version 42
0.0.0.0 alice.zz-shared-host.com
0.0.0.0 zz-abuse-two.com
0.0.0.0 zzsmoke.net
`,
  rpz: `; worst-of version 42, response policy zone
$TTL 300
@ SOA localhost. hostmaster.localhost. 42 3600 600 604800 300
@ NS localhost.
alice.zz-shared-host.com CNAME .
*.alice.zz-shared-host.com CNAME .
zz-abuse-two.com CNAME .
*.zz-abuse-two.com CNAME .
zzsmoke.net CNAME .
*.zzsmoke.net CNAME .
`,
  unbound: `# worst-of version 42: include inside unbound's server: clause
local-zone: "alice.zz-shared-host.com." always_nxdomain
local-zone: "zz-abuse-two.com." always_nxdomain
local-zone: "zzsmoke.net." always_nxdomain
`,
  // sha256 of each key without a line ending, sorted (checked with `printf %s KEY | sha256sum`).
  sha256: `3fc1af9d31519ea5c0cbfe01a1ae309c3fdf1a8b24cebe5e417edbad05d38a83
a9e4a234522f7e9d18950bb05ed35a84a1741aadcbc17648d01c0df29f6ca291
e183220b699c10a83ca7be3433d228ed0860a5ecf9480f83e9655f16bad58908
f0b91bbd9d133956270f6468b87997f88b333e595327c0796b898f9b8ada7d2a
f1ad3e621f73e90c44fbd9a008f51aca7719c4f1d5829ecc36e1e81ec9f6f071
`,
  // PAN-OS domain list: `*.key` does not match `key` itself, hence both.
  edl: `alice.zz-shared-host.com
*.alice.zz-shared-host.com
zz-abuse-two.com
*.zz-abuse-two.com
zzsmoke.net
*.zzsmoke.net
`,
  fortigate: `alice.zz-shared-host.com
*.alice.zz-shared-host.com
zz-abuse-two.com
*.zz-abuse-two.com
zzsmoke.net
*.zzsmoke.net
`,
  squid: `# worst-of version 42: a dstdomain list for squid (acl NAME dstdomain "/path/to/this/file")
.alice.zz-shared-host.com
.zz-abuse-two.com
.zzsmoke.net
`,
  dnsmasq: `# worst-of version 42: dnsmasq configuration (conf-file=/path/to/this/file)
local=/alice.zz-shared-host.com/
local=/zz-abuse-two.com/
local=/zzsmoke.net/
`,
  adblock: `! worst-of version 42
||alice.zz-shared-host.com^
||zz-abuse-two.com^
||zzsmoke.net^
`,
};

const expectedEmpty: Record<Format, string> = {
  txt: '',
  json: '{"list":"worst-of","version":42,"createdAt":"2026-11-20T12:00:00.000Z","count":0,"entries":[]}\n',
  csv: 'list_key,kind,listed_since_version\n',
  hosts: '# worst-of version 42\n',
  rpz: `; worst-of version 42, response policy zone
$TTL 300
@ SOA localhost. hostmaster.localhost. 42 3600 600 604800 300
@ NS localhost.
`,
  unbound: "# worst-of version 42: include inside unbound's server: clause\n",
  sha256: '',
  edl: '',
  fortigate: '',
  squid: '# worst-of version 42: a dstdomain list for squid (acl NAME dstdomain "/path/to/this/file")\n',
  dnsmasq: '# worst-of version 42: dnsmasq configuration (conf-file=/path/to/this/file)\n',
  adblock: '! worst-of version 42\n',
};

describe('renderArtifact', () => {
  it.each(formats)('renders %s', (format) => {
    expect(render(format)).toBe(expected[format]);
  });

  it.each(formats)('renders %s for an empty list', (format) => {
    expect(render(format, [])).toBe(expectedEmpty[format]);
  });

  it('renders an empty list as an empty txt file', () => {
    expect(renderArtifact('txt', [], context)).toHaveLength(0);
  });

  it('points the RPZ at the block page host when one is set', () => {
    expect(
      render('rpz', entries, { blockPageHost: 'stop.zz-isp.test' }),
    ).toBe(`; worst-of version 42, response policy zone
$TTL 300
@ SOA localhost. hostmaster.localhost. 42 3600 600 604800 300
@ NS localhost.
alice.zz-shared-host.com CNAME stop.zz-isp.test.
*.alice.zz-shared-host.com CNAME stop.zz-isp.test.
zz-abuse-two.com CNAME stop.zz-isp.test.
*.zz-abuse-two.com CNAME stop.zz-isp.test.
zzsmoke.net CNAME stop.zz-isp.test.
*.zzsmoke.net CNAME stop.zz-isp.test.
`);
  });

  it.each(formats)('renders %s byte for byte the same twice', (format) => {
    const again = { ...context, createdAt: new Date(context.createdAt.getTime()) };
    expect(renderArtifact(format, [...entries], again)).toEqual(renderArtifact(format, entries, context));
  });

  it('puts IP keys in txt, json, csv and sha256 only', () => {
    const ips: Entry[] = [
      { key: '198.51.100.7', since: 1 },
      { key: '2001:db8::7', since: 1 },
    ];
    expect(render('txt', ips)).toBe('198.51.100.7\n2001:db8::7\n');
    expect(render('csv', ips)).toBe('list_key,kind,listed_since_version\n198.51.100.7,ipv4,1\n2001:db8::7,ipv6,1\n');
    expect(render('sha256', ips).split('\n')).toHaveLength(3);
    expect(JSON.parse(render('json', ips)).count).toBe(2);
    for (const format of ['hosts', 'rpz', 'unbound', 'edl', 'fortigate', 'squid', 'dnsmasq', 'adblock'] as const)
      expect(render(format, ips)).toBe(expectedEmpty[format]);
  });

  it('keeps punycode and underscore labels as they are', () => {
    const list: Entry[] = [
      { key: 'xn--zz-bcher-f2a.com', since: 1 },
      { key: 'zz_under.zz-shared-host.com', since: 1 },
    ];
    expect(render('rpz', list)).toBe(`${expectedEmpty.rpz}xn--zz-bcher-f2a.com CNAME .
*.xn--zz-bcher-f2a.com CNAME .
zz_under.zz-shared-host.com CNAME .
*.zz_under.zz-shared-host.com CNAME .
`);
    expect(render('unbound', list)).toBe(`${expectedEmpty.unbound}local-zone: "xn--zz-bcher-f2a.com." always_nxdomain
local-zone: "zz_under.zz-shared-host.com." always_nxdomain
`);
  });

  it('leaves out of the RPZ, with a comment, keys that would break the zone or act as other triggers', () => {
    const kept = `${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(53)}.zz-shared-host.com`; // 200 characters
    const tooLong = `${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(54)}.zz-shared-host.com`; // 201 characters
    const list: Entry[] = [
      { key: 'com.rpz-nsdname', since: 1 },
      { key: kept, since: 1 },
      { key: tooLong, since: 1 },
      { key: 'zzsmoke.net', since: 1 },
    ];
    expect(
      render('rpz', list),
    ).toBe(`${expectedEmpty.rpz}; omitted com.rpz-nsdname: its last label is reserved for RPZ triggers
${kept} CNAME .
*.${kept} CNAME .
; omitted ${tooLong}: longer than 200 characters
zzsmoke.net CNAME .
*.zzsmoke.net CNAME .
`);
    // The other formats have no such limits and keep every key.
    expect(render('txt', list)).toBe(`com.rpz-nsdname\n${kept}\n${tooLong}\nzzsmoke.net\n`);
    expect(render('unbound', list).split('\n')).toHaveLength(6);
  });

  // The longest key allowed: `*.key` is then 255 characters, PAN-OS's limit.
  const longest = longestDomain;
  it('renders the longest allowed key whole in every firewall, proxy and filter format', () => {
    expect(longest).toHaveLength(253);
    const list: Entry[] = [{ key: longest, since: 1 }];
    expect(render('edl', list)).toBe(`${longest}\n*.${longest}\n`);
    expect(`*.${longest}`).toHaveLength(255);
    expect(render('fortigate', list)).toBe(`${longest}\n*.${longest}\n`);
    expect(render('squid', list)).toBe(`${expectedEmpty.squid}.${longest}\n`);
    expect(render('dnsmasq', list)).toBe(`${expectedEmpty.dnsmasq}local=/${longest}/\n`);
    expect(render('adblock', list)).toBe(`${expectedEmpty.adblock}||${longest}^\n`);
    // A key one character longer is not a list key at all.
    expect(() => render('txt', [{ key: `a${longest}`, since: 1 }])).toThrow(RangeError);
  });

  it('leaves out of the firewall, proxy and filter formats a key under another listed key', () => {
    const list: Entry[] = [
      { key: 'a.b.zz-shared-host.com', since: 1 }, // under b.zz-shared-host.com
      { key: 'alice.zz-shared-host.com', since: 1 }, // under zz-shared-host.com
      { key: 'b.zz-shared-host.com', since: 1 }, // under zz-shared-host.com
      { key: 'xzz-shared-host.com', since: 1 }, // not under it: another domain
      { key: 'zz-shared-host.com', since: 1 },
      { key: 'zz_under.zzsmoke.net', since: 1 }, // no parent listed
    ];
    expect(render('edl', list)).toBe(`xzz-shared-host.com
*.xzz-shared-host.com
zz-shared-host.com
*.zz-shared-host.com
zz_under.zzsmoke.net
*.zz_under.zzsmoke.net
`);
    expect(render('fortigate', list)).toBe(render('edl', list));
    expect(render('squid', list)).toBe(`${expectedEmpty.squid}.xzz-shared-host.com
.zz-shared-host.com
.zz_under.zzsmoke.net
`);
    expect(render('dnsmasq', list)).toBe(`${expectedEmpty.dnsmasq}local=/xzz-shared-host.com/
local=/zz-shared-host.com/
local=/zz_under.zzsmoke.net/
`);
    expect(render('adblock', list)).toBe(`${expectedEmpty.adblock}||xzz-shared-host.com^
||zz-shared-host.com^
||zz_under.zzsmoke.net^
`);
    // The other formats list every key.
    expect(render('txt', list).split('\n')).toHaveLength(7);
    expect(render('unbound', list).split('\n')).toHaveLength(8);
  });

  it('keeps punycode keys as they are in the firewall, proxy and filter formats', () => {
    const list: Entry[] = [{ key: 'xn--zz-bcher-f2a.com', since: 1 }];
    expect(render('edl', list)).toBe('xn--zz-bcher-f2a.com\n*.xn--zz-bcher-f2a.com\n');
    expect(render('squid', list)).toBe(`${expectedEmpty.squid}.xn--zz-bcher-f2a.com\n`);
    expect(render('dnsmasq', list)).toBe(`${expectedEmpty.dnsmasq}local=/xn--zz-bcher-f2a.com/\n`);
    expect(render('adblock', list)).toBe(`${expectedEmpty.adblock}||xn--zz-bcher-f2a.com^\n`);
  });

  const bad: [label: string, list: Entry[], ctx: Partial<RenderContext>][] = [
    ['unsorted entries', [entries[3]!, entries[2]!], {}],
    ['a duplicate key', [entries[4]!, entries[4]!], {}],
    ['an uppercase key', [{ key: 'ZZsmoke.net', since: 1 }], {}],
    ['a key with a line break', [{ key: 'zzsmoke.net\n$INCLUDE /etc/passwd', since: 1 }], {}],
    ['a key with a quote', [{ key: 'zz"smoke.net', since: 1 }], {}],
    ['a key with a space', [{ key: 'zz smoke.net', since: 1 }], {}],
    ['a single-label key', [{ key: 'com', since: 1 }], {}],
    ['a wildcard key', [{ key: '*.zzsmoke.net', since: 1 }], {}],
    ['an IPv4 key with a leading zero', [{ key: '198.51.100.07', since: 1 }], {}],
    ['a key ending in a number', [{ key: 'zzsmoke.123', since: 1 }], {}],
    ['a negative since', [{ key: 'zzsmoke.net', since: -1 }], {}],
    ['a fractional version', entries, { version: 1.5 }],
    ['a version past the RPZ serial range', entries, { version: 2 ** 32 }],
    ['an invalid createdAt', entries, { createdAt: new Date('nope') }],
    ['a block page host with a space', entries, { blockPageHost: 'stop zz-isp.test' }],
    ['a block page host with a trailing dot', entries, { blockPageHost: 'stop.zz-isp.test.' }],
  ];
  it.each(bad)('refuses %s', (_label, list, ctx) => {
    expect(() => renderArtifact('txt', list, { ...context, ...ctx })).toThrow(RangeError);
  });
});

describe('isIpKey', () => {
  it.each([
    ['198.51.100.7', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['2001:db8::7', true],
    ['::1', true],
    ['::', true],
    ['fe80::1:2:3:4:5:6', true],
    ['1:2:3:4:5:6:7:8', true],
    ['256.1.1.1', false],
    ['1.2.3', false],
    ['01.2.3.4', false],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['12345::1', false],
    ['zzsmoke.net', false],
    ['198.51.100.7.zzsmoke.net', false],
  ])('%s -> %s', (key, ip) => {
    expect(isIpKey(key)).toBe(ip);
  });
});

describe('mediaTypes', () => {
  it('has one per format', () => {
    expect(Object.keys(mediaTypes).sort()).toEqual([...formats].sort());
    expect(mediaTypes.rpz).toBe('text/dns');
    expect(mediaTypes.json).toBe('application/json');
  });
});
