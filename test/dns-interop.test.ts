/**
 * The DNS artifacts in real DNS software: BIND's named-checkzone accepts the RPZ, and a
 * live Unbound and a live BIND named, on loopback, block with it while unlisted names
 * still resolve. Unbound also loads the `unbound` format through `include:`.
 *
 * The resolvers are offline by construction: each serves a local copy of the root zone
 * (Unbound: an auth-zone "." for upstream; named: a primary zone "."), so every name,
 * listed or not, resolves from `rootZone` below and nothing is sent past 127.0.0.1. A
 * control run without any policy shows the listed names resolve when nothing blocks
 * them, so an NXDOMAIN can only come from the artifact.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Entry, type RenderContext, renderArtifact } from '../src/core/formats.ts';
import { freeUdpPort, hasBinaries } from './support/resolver.ts';

const run = promisify(execFile);

// 240 characters: fits a DNS name, but `*.<key>.rpz.worstof.` would not, so the RPZ omits it.
const longKey = `${'a'.repeat(63)}.${'a'.repeat(63)}.${'a'.repeat(63)}.b${'c'.repeat(28)}.zz-shared-host.com`;
// 200 characters: the longest key the RPZ keeps, leaving 50 for the zone name.
const budgetKey = `${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(53)}.zz-shared-host.com`;
const entries: Entry[] = [
  { key: '198.51.100.7', since: 3 },
  { key: '2001:db8::7', since: 3 },
  { key: longKey, since: 4 },
  { key: 'alice.zz-shared-host.com', since: 5 },
  { key: 'com.rpz-nsdname', since: 4 },
  { key: budgetKey, since: 4 },
  { key: 'xn--zz-bcher-f2a.com', since: 2 },
  { key: 'zz-abuse-two.com', since: 4 },
  { key: 'zz_under.zz-shared-host.com', since: 5 },
  { key: 'zzsmoke.net', since: 2 },
];
const context: RenderContext = { list: 'worst-of', version: 42, createdAt: new Date('2026-11-20T12:00:00Z') };
const blockPageHost = 'stop.zz-isp.test';
const blockPageAnswer = ['CNAME stop.zz-isp.test.', 'A 192.0.2.99'];

/** [name, its address in the local root zone, blocked by the list]. */
const names: [name: string, address: string, listed: boolean][] = [
  ['zzsmoke.net', '192.0.2.1', true],
  ['www.zzsmoke.net', '192.0.2.2', true],
  ['a.b.zzsmoke.net', '192.0.2.3', true],
  ['zz-abuse-two.com', '192.0.2.4', true],
  ['deep.img.zz-abuse-two.com', '192.0.2.5', true],
  ['alice.zz-shared-host.com', '192.0.2.6', true], // a hostname-policy key
  ['x.alice.zz-shared-host.com', '192.0.2.7', true],
  ['zz_under.zz-shared-host.com', '192.0.2.8', true],
  ['xn--zz-bcher-f2a.com', '192.0.2.9', true],
  ['xzzsmoke.net', '192.0.2.20', false], // the wildcard is label-aligned
  ['zzsmoke.net.zz-clean.com', '192.0.2.21', false],
  ['zz-shared-host.com', '192.0.2.22', false], // the parent of a hostname key
  ['bob.zz-shared-host.com', '192.0.2.23', false], // its sibling
  ['ok.zz-clean.com', '192.0.2.24', false],
  ['ip.zz-clean.com', '198.51.100.7', false], // IP keys are not DNS triggers
];

const rootZone = [
  '$TTL 300',
  '@ SOA ns.zz-root.test. hostmaster.zz-root.test. 1 3600 600 604800 300',
  '@ NS ns.zz-root.test.',
  'ns.zz-root.test. A 127.0.0.1',
  `${blockPageHost}. A 192.0.2.99`,
  ...names.map(([name, address]) => `${name}. A ${address}`),
  '',
].join('\n');

const haveCheckzone = hasBinaries('named-checkzone');
const haveUnbound = hasBinaries('unbound', 'unbound-checkconf', 'dig');
const haveNamed = hasBinaries('named', 'dig');
if (!haveCheckzone)
  console.warn('dns-interop: skipping named-checkzone tests, named-checkzone is absent (bind9-utils)');
if (!haveUnbound)
  console.warn('dns-interop: skipping Unbound tests, unbound or dig is absent (unbound, bind9-dnsutils)');
if (!haveNamed) console.warn('dns-interop: skipping BIND tests, named or dig is absent (bind9, bind9-dnsutils)');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wol-dns-interop-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('named-checkzone', () => {
  it.skipIf(!haveCheckzone).each([
    ['a list', 'rpz.worstof', entries, undefined],
    ['an empty list', 'rpz.worstof', [], undefined],
    ['a list with a block page host', 'rpz.worstof', entries, blockPageHost],
    // The longest zone name the 200-character key budget allows.
    ['a list under a 50-character zone name', `rpz.${'z'.repeat(34)}.zz-isp.test`, entries, undefined],
  ])('accepts the RPZ of %s', async (label, zone, list, host) => {
    const file = path.join(dir, `${label.replace(/\W+/g, '-')}.rpz`);
    await writeFile(file, renderArtifact('rpz', list, { ...context, blockPageHost: host }));
    const { stdout } = await run('named-checkzone', [zone, file], { timeout: 10_000 });
    expect(stdout).toContain('loaded serial 42');
    expect(stdout.trim().endsWith('OK')).toBe(true);
  });
});

type Policy = 'none' | 'rpz' | 'rpz with a block page' | 'unbound format';
const cases: [server: 'unbound' | 'named', policy: Policy][] = [
  ['unbound', 'none'],
  ['unbound', 'rpz'],
  ['unbound', 'rpz with a block page'],
  ['unbound', 'unbound format'],
  ['named', 'none'],
  ['named', 'rpz'],
  ['named', 'rpz with a block page'],
];

describe.each(cases)('%s with policy: %s', (server, policy) => {
  const available = server === 'unbound' ? haveUnbound : haveNamed;
  let resolver: Resolver | undefined;

  beforeAll(async () => {
    if (!available) return;
    const work = await mkdtemp(path.join(dir, `${server}-`));
    const files = await writeZones(work, policy);
    resolver = await (server === 'unbound' ? startUnbound : startNamed)(work, files, policy);
  });
  afterAll(() => resolver?.stop());

  it.skipIf(!available).each(names)('%s', async (name, address, listed) => {
    const answer = await resolver!.query(name);
    if (!listed || policy === 'none') expect(answer).toEqual({ status: 'NOERROR', answers: [`A ${address}`] });
    else if (policy === 'rpz with a block page')
      expect(answer).toEqual({ status: 'NOERROR', answers: blockPageAnswer });
    else expect(answer).toEqual({ status: 'NXDOMAIN', answers: [] });
  });
});

interface Zones {
  root: string;
  policy?: string;
}

async function writeZones(work: string, policy: Policy): Promise<Zones> {
  const root = path.join(work, 'root.zone');
  await writeFile(root, rootZone);
  if (policy === 'none') return { root };
  const file = path.join(work, policy === 'unbound format' ? 'worst-of.conf' : 'worst-of.rpz');
  const rendered =
    policy === 'unbound format'
      ? renderArtifact('unbound', entries, context)
      : renderArtifact('rpz', entries, { ...context, blockPageHost: policy === 'rpz' ? undefined : blockPageHost });
  await writeFile(file, rendered);
  return { root, policy: file };
}

interface Resolver {
  query(name: string): Promise<{ status: string; answers: string[] }>;
  stop(): Promise<void>;
}

async function startUnbound(work: string, zones: Zones, policy: Policy): Promise<Resolver> {
  const port = await freeUdpPort();
  const conf = path.join(work, 'unbound.conf');
  const lines = [
    'server:',
    '  interface: 127.0.0.1',
    `  port: ${port}`,
    '  do-daemonize: no',
    '  username: ""',
    '  chroot: ""',
    `  directory: "${work}"`,
    `  pidfile: "${path.join(work, 'unbound.pid')}"`,
    '  use-syslog: no',
    '  logfile: ""',
    '  verbosity: 1',
    '  do-ip6: no',
    '  access-control: 127.0.0.0/8 allow',
    // Belt and braces: even a query the local root could not answer has no way out.
    '  outgoing-interface: 127.0.0.1',
    '  module-config: "respip iterator"',
    ...(policy === 'unbound format' ? [`  include: "${zones.policy}"`] : []),
    'auth-zone:',
    '  name: "."',
    `  zonefile: "${zones.root}"`,
    '  for-upstream: yes',
    '  for-downstream: no',
    '  fallback-enabled: no',
    ...(policy.startsWith('rpz') ? ['rpz:', '  name: "rpz.worstof."', `  zonefile: "${zones.policy}"`] : []),
    '',
  ];
  await writeFile(conf, lines.join('\n'));
  await run('unbound-checkconf', [conf], { timeout: 10_000 });
  const child = spawn('unbound', ['-d', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  return ready(child, port, () => true);
}

async function startNamed(work: string, zones: Zones, policy: Policy): Promise<Resolver> {
  const port = await freeUdpPort();
  const conf = path.join(work, 'named.conf');
  const withRpz = policy.startsWith('rpz');
  const lines = [
    'options {',
    `  directory "${work}";`,
    `  pid-file "${path.join(work, 'named.pid')}";`,
    `  session-keyfile "${path.join(work, 'session.key')}";`,
    `  managed-keys-directory "${work}";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    '  query-source address 127.0.0.1;',
    '  recursion yes;',
    '  allow-query { 127.0.0.1; };',
    '  allow-recursion { 127.0.0.1; };',
    '  dnssec-validation no;',
    '  notify no;',
    // The test root zone has an A record at an underscore name (zz_under...), which BIND rejects by default.
    '  check-names primary ignore;',
    ...(withRpz ? ['  response-policy { zone "rpz.worstof"; };'] : []),
    '};',
    // No rndc channel: nothing listens on 953 and no key file is read.
    'controls { };',
    `zone "." { type primary; file "${zones.root}"; };`,
    ...(withRpz ? [`zone "rpz.worstof" { type primary; file "${zones.policy}"; allow-query { none; }; };`] : []),
    '',
  ];
  await writeFile(conf, lines.join('\n'));
  const child = spawn('named', ['-g', '-n', '1', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  // named loads policy zones after it starts answering; wait for that, or a query could slip through.
  return ready(child, port, (log) => !withRpz || log.includes('rpz: rpz.worstof: reload done: success'));
}

async function dig(port: number, name: string) {
  const args = ['@127.0.0.1', '-p', String(port), '+time=1', '+tries=1', '+noall', '+comments', '+answer', name, 'A'];
  const { stdout } = await run('dig', args, { timeout: 5_000 });
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NO ANSWER';
  const answers = stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith(';'))
    .map((line) => line.split(/\s+/).slice(3).join(' '));
  return { status, answers };
}

/** Waits, for at most 10 s, until the server answers from its root zone and `loaded` holds for its log. */
async function ready(child: ChildProcess, port: number, loaded: (log: string) => boolean): Promise<Resolver> {
  let log = '';
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  const stop = () => terminate(child);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the resolver exited:\n${log}`);
    const probe = await dig(port, 'ok.zz-clean.com').catch(() => undefined);
    if (probe?.status === 'NOERROR' && loaded(log)) return { query: (name) => dig(port, name), stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`the resolver did not become ready within 10 s:\n${log}`);
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited, or after 6 s at most. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    const giveUp = setTimeout(resolve, 6_000);
    child.once('exit', () => {
      clearTimeout(kill);
      clearTimeout(giveUp);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
