/**
 * A real BIND 9.18 as an ISP runs it (issue 18): a secondary of the RPZ with TSIG, used as
 * its `response-policy`. It takes the zone by AXFR and blocks listed names and their
 * subdomains; after a build that adds and removes entries, our NOTIFY makes it take an IXFR
 * (in its log and in the pull records) and resolution changes within seconds.
 *
 * Offline: named serves its own root zone (the names below), sends from 127.0.0.1 only.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/database.ts';
import { type DnsListener, startDnsListener } from '../src/dns/listener.ts';
import { type DnsNotifier, dnsNotifier } from '../src/dns/notify.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';
import { waitFor } from './support/programs.ts';
import { freeUdpPort, hasBinaries } from './support/resolver.ts';

const run = promisify(execFile);
const haveNamed = hasBinaries('named', 'dig');
if (!haveNamed) console.warn('dns-bind: skipping, named or dig is absent (bind9, bind9-dnsutils)');

const names = ['zz-listed-one.com', 'www.zz-listed-one.com', 'zz-listed-two.net', 'a.b.zz-listed-two.net'];
const later = ['zz-listed-three.org', 'deep.zz-listed-three.org'];
const clean = ['zz-clean.com', 'www.zz-clean.com'];

let ctx: TestContext;
let a: Actors;
let listener: DnsListener;
let notifier: DnsNotifier;
let work: string;
let named: ChildProcess | undefined;
let namedPort: number;
let log = '';
let credentialId: number;

async function status(name: string): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(namedPort), '+time=1', '+tries=1', name, 'A'], {
    timeout: 5000,
  }).catch((error: { stdout: string }) => error);
  return /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NO ANSWER';
}

/** Waits for `check`, showing named's log if it never holds. */
const until = (check: () => Promise<boolean>, what: string, ms = 15_000) =>
  waitFor(check, what, async () => `named's log:\n${log}`, ms);

beforeAll(async () => {
  if (!haveNamed) return;
  // BIND listens on loopback: a NOTIFY target only because the operator allows it.
  ctx = await createTestContext({ WOL_NOTIFY_ALLOW: '127.0.0.1' });
  a = await createActors(ctx);
  await report(ctx, a, 'http://zz-listed-one.com/a');
  await report(ctx, a, 'http://zz-listed-two.net/b');
  await build(ctx, a);
  const credential = await ok<{ id: number }>(
    ctx.call('POST', '/v1/credentials', {
      token: a.ncb,
      body: { organisationId: a.orgs.isp, role: 'isp', label: 'bind' },
    }),
  );
  credentialId = credential.id;
  namedPort = await freeUdpPort();
  const key = await ok<{ name: string; secret: string }>(
    ctx.call('POST', `/v1/credentials/${credentialId}/tsig-keys`, {
      token: a.ncb,
      body: { notify: [`127.0.0.1:${namedPort}`] },
    }),
  );
  listener = await startDnsListener(ctx.deps, '127.0.0.1:0');
  notifier = dnsNotifier(ctx.deps);
  // The app holds this deps object: builds through it now send NOTIFY, as in node.ts.
  ctx.deps.notifyDns = notifier.notify;

  work = await mkdtemp(path.join(tmpdir(), 'wol-bind-'));
  const root = path.join(work, 'root.zone');
  await writeFile(
    root,
    [
      '$TTL 300',
      '. SOA ns.zz-root.test. hostmaster.zz-root.test. 1 3600 600 604800 300',
      '. NS ns.zz-root.test.',
      'ns.zz-root.test. A 127.0.0.1',
      ...[...names, ...later, ...clean].map((name, i) => `${name}. A 192.0.2.${i + 1}`),
      '',
    ].join('\n'),
  );
  const conf = path.join(work, 'named.conf');
  // The ISP's lines: a key, a secondary zone whose primary is us with that key, the policy.
  await writeFile(
    conf,
    [
      `key "${key.name}" { algorithm hmac-sha256; secret "${key.secret}"; };`,
      'options {',
      `  directory "${work}";`,
      `  pid-file "${path.join(work, 'named.pid')}";`,
      `  session-keyfile "${path.join(work, 'session.key')}";`,
      `  managed-keys-directory "${work}";`,
      `  listen-on port ${namedPort} { 127.0.0.1; };`,
      '  listen-on-v6 { none; };',
      '  query-source address 127.0.0.1;',
      '  transfer-source 127.0.0.1;',
      '  recursion yes;',
      '  allow-query { 127.0.0.1; };',
      '  dnssec-validation no;',
      '  notify no;',
      // BIND applies a policy zone's update at most once a minute unless told otherwise.
      '  response-policy { zone "rpz.worstof" min-update-interval 0; };',
      '};',
      'controls { };',
      `zone "." { type primary; file "${root}"; };`,
      'zone "rpz.worstof" {',
      '  type secondary;',
      `  primaries port ${listener.port} { 127.0.0.1 key "${key.name}"; };`,
      '  file "rpz.worstof.db";',
      '  allow-query { none; };',
      '};',
      '',
    ].join('\n'),
  );
  named = spawn('named', ['-g', '-n', '1', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  named.stderr?.on('data', (chunk) => {
    log += chunk;
  });
});

afterAll(async () => {
  if (named && named.exitCode === null) {
    const exited = new Promise((resolve) => named?.once('exit', resolve));
    named.kill('SIGTERM');
    setTimeout(() => named?.kill('SIGKILL'), 3000).unref();
    await exited;
  }
  await notifier?.stop();
  await listener?.stop();
  await ctx?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function transfers() {
  await ctx.deps.pullCache.flush();
  return queryRows<{ version: number; via: string }>(
    ctx.deps.db,
    sql`select distinct version, via from pulls where credential_id = ${credentialId} and format = 'rpz' and status = 200 order by version`,
  );
}

describe.skipIf(!haveNamed)(`BIND 9.18 as a TSIG secondary with response-policy on ${databaseName}`, () => {
  it('takes the zone by AXFR: listed names and their subdomains NXDOMAIN, unlisted NOERROR', async () => {
    await until(async () => /transfer of 'rpz\.worstof\/IN'.*Transfer completed/.test(log), 'the AXFR');
    await until(async () => (await status('zz-listed-one.com')) === 'NXDOMAIN', 'blocking');
    for (const name of names) expect([name, await status(name)]).toEqual([name, 'NXDOMAIN']);
    for (const name of [...later, ...clean]) expect([name, await status(name)]).toEqual([name, 'NOERROR']);
    expect(await transfers()).toEqual([{ version: 1, via: 'axfr' }]);
  });

  it('after a build that adds and removes entries, a NOTIFY brings an IXFR and resolution changes within seconds', async () => {
    await report(ctx, a, 'http://zz-listed-three.org/c');
    await ok(
      ctx.call('POST', '/v1/domains/zz-listed-one.com/exclusion', { token: a.analyst, body: { reason: 'test' } }),
    );
    const started = Date.now();
    expect((await build(ctx, a)).version).toBe(2);
    await until(
      async () =>
        (await status('deep.zz-listed-three.org')) === 'NXDOMAIN' && (await status('zz-listed-one.com')) === 'NOERROR',
      'the change',
      10_000,
    );
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    expect(log).toMatch(/notify from 127\.0\.0\.1#\d+: serial 2|received notify/i);
    // BIND logs no transfer style at this level; the record count tells: the IXFR sequence is
    // SOA 2, SOA 1, 2 deletions, SOA 2, 2 additions, SOA 2 (8 records), the zone would be 7.
    expect(log).toMatch(/Transfer completed: 1 messages, 8 records.*\(serial 2\)/);
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
