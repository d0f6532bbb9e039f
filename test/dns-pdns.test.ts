/**
 * A real PowerDNS Recursor as an ISP runs it (issue 18): `rpzPrimary` with TSIG takes the
 * zone from our listener by AXFR, answers NXDOMAIN for a listed name and its subdomains and
 * NOERROR for an unlisted one; on its refresh it takes the next version by IXFR (in the pull
 * records). It polls, every `refresh` seconds (1 here), so this test sends it no NOTIFY.
 *
 * Offline: the recursor serves the names below from its own authoritative root zone
 * (`auth-zones`), so an NXDOMAIN can only come from the policy. It runs as nobody when the
 * test runs as root, with its own config-dir, socket-dir and port.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/database.ts';
import { type DnsListener, startDnsListener } from '../src/dns/listener.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';
import { waitFor } from './support/programs.ts';
import { freeUdpPort, hasBinaries } from './support/resolver.ts';

const run = promisify(execFile);
const havePdns = hasBinaries('pdns_recursor', 'dig');
if (!havePdns) console.warn('dns-pdns: skipping, pdns_recursor or dig is absent (pdns-recursor, bind9-dnsutils)');

const NOBODY = 65534;
const names = ['zz-listed-one.com', 'www.zz-listed-one.com', 'zz-listed-two.net', 'a.b.zz-listed-two.net'];
const later = ['zz-listed-three.org', 'deep.zz-listed-three.org'];
const clean = ['zz-clean.com', 'www.zz-clean.com'];

let ctx: TestContext;
let a: Actors;
let listener: DnsListener;
let work: string;
let recursor: ChildProcess | undefined;
let port: number;
let log = '';
let credentialId: number;

async function status(name: string): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=1', '+tries=1', name, 'A'], {
    timeout: 5000,
  }).catch((error: { stdout: string }) => error);
  return /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NO ANSWER';
}

/** Waits for `check`, showing pdns_recursor's log if it never holds or the recursor exits. */
const until = (check: () => Promise<boolean>, what: string, ms = 15_000) =>
  waitFor(
    async () => {
      if (recursor?.exitCode !== null) throw new Error(`pdns_recursor exited:\n${log.slice(-4000)}`);
      return check();
    },
    what,
    async () => `pdns_recursor's log:\n${log}`,
    ms,
  );

async function transfers() {
  await ctx.deps.pullCache.flush();
  return queryRows<{ version: number; via: string }>(
    ctx.deps.db,
    sql`select distinct version, via from pulls where credential_id = ${credentialId} and format = 'rpz' and status = 200 order by version`,
  );
}

beforeAll(async () => {
  if (!havePdns) return;
  ctx = await createTestContext();
  a = await createActors(ctx);
  await report(ctx, a, 'http://zz-listed-one.com/a');
  await report(ctx, a, 'http://zz-listed-two.net/b');
  await build(ctx, a);
  const credential = await ok<{ id: number }>(
    ctx.call('POST', '/v1/credentials', {
      token: a.ncb,
      body: { organisationId: a.orgs.isp, role: 'isp', label: 'pdns' },
    }),
  );
  credentialId = credential.id;
  const key = await ok<{ name: string; algorithm: string; secret: string }>(
    ctx.call('POST', `/v1/credentials/${credentialId}/tsig-keys`, { token: a.ncb, body: {} }),
  );
  listener = await startDnsListener(ctx.deps, '127.0.0.1:0');
  port = await freeUdpPort();

  work = await mkdtemp(path.join(tmpdir(), 'wol-pdns-'));
  const sockets = path.join(work, 'sockets');
  await mkdir(sockets);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    await chmod(work, 0o755);
    await chown(sockets, NOBODY, NOBODY);
  }
  const root = [
    '$TTL 300',
    '. SOA ns.zz-root.test. hostmaster.zz-root.test. 1 3600 600 604800 300',
    '. NS ns.zz-root.test.',
    'ns.zz-root.test. A 127.0.0.1',
    ...[...names, ...later, ...clean].map((name, i) => `${name}. A 192.0.2.${i + 1}`),
    '',
  ];
  await writeFile(path.join(work, 'root.zone'), root.join('\n'));
  // The hints point at the loopback root the recursor serves itself; nothing leaves the host.
  await writeFile(path.join(work, 'root.hints'), '. 3600 NS ns.zz-root.test.\nns.zz-root.test. 3600 A 127.0.0.1\n');
  // The ISP's line: the primary, the zone, the key; refresh every second for the test.
  await writeFile(
    path.join(work, 'rpz.lua'),
    `rpzPrimary("127.0.0.1:${listener.port}", "rpz.worstof", {tsigname="${key.name}", tsigalgo="${key.algorithm}", tsigsecret="${key.secret}", refresh=1})\n`,
  );
  await writeFile(
    path.join(work, 'recursor.conf'),
    [
      'local-address=127.0.0.1',
      `local-port=${port}`,
      `socket-dir=${sockets}`,
      `lua-config-file=${path.join(work, 'rpz.lua')}`,
      `auth-zones=.=${path.join(work, 'root.zone')}`,
      `hint-file=${path.join(work, 'root.hints')}`,
      'query-local-address=127.0.0.1',
      'daemon=no',
      'write-pid=no',
      'disable-syslog=yes',
      'log-timestamp=no',
      'loglevel=6',
      'dnssec=off',
      'security-poll-suffix=',
      'max-negative-ttl=1',
      'disable-packetcache=yes',
      '',
    ].join('\n'),
  );
  recursor = spawn('pdns_recursor', [`--config-dir=${work}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  for (const stream of [recursor.stdout, recursor.stderr])
    stream?.on('data', (chunk) => {
      log += chunk;
    });
});

afterAll(async () => {
  if (recursor && recursor.exitCode === null) {
    const exited = new Promise((resolve) => recursor?.once('exit', resolve));
    recursor.kill('SIGTERM');
    setTimeout(() => recursor?.kill('SIGKILL'), 3000).unref();
    await exited;
  }
  await listener?.stop();
  await ctx?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(!havePdns)(`PowerDNS Recursor with rpzPrimary and TSIG on ${databaseName}`, () => {
  it('takes the zone by AXFR: listed names and their subdomains NXDOMAIN, unlisted NOERROR', async () => {
    await until(async () => (await status('zz-listed-one.com')) === 'NXDOMAIN', 'blocking');
    for (const name of names) expect([name, await status(name)]).toEqual([name, 'NXDOMAIN']);
    for (const name of [...later, ...clean]) expect([name, await status(name)]).toEqual([name, 'NOERROR']);
    expect(await transfers()).toEqual([{ version: 1, via: 'axfr' }]);
  });

  it('takes the next version by IXFR on its refresh, and resolution changes', async () => {
    await report(ctx, a, 'http://zz-listed-three.org/c');
    await ok(
      ctx.call('POST', '/v1/domains/zz-listed-one.com/exclusion', { token: a.analyst, body: { reason: 'test' } }),
    );
    expect((await build(ctx, a)).version).toBe(2);
    await until(
      async () =>
        (await status('deep.zz-listed-three.org')) === 'NXDOMAIN' && (await status('zz-listed-one.com')) === 'NOERROR',
      'the change',
    );
    for (const name of ['zz-listed-two.net', 'a.b.zz-listed-two.net', ...later])
      expect([name, await status(name)]).toEqual([name, 'NXDOMAIN']);
    for (const name of ['zz-listed-one.com', 'www.zz-listed-one.com', ...clean])
      expect([name, await status(name)]).toEqual([name, 'NOERROR']);
    expect(await transfers()).toEqual([
      { version: 1, via: 'axfr' },
      { version: 2, via: 'ixfr' },
    ]);
  });
});
