/**
 * The DNS listener against dig (issue 18): AXFR and IXFR with `-y` carry the rpz artifact's
 * records; no key, a wrong key, a skewed clock and a revoked credential are refused with the
 * right code; a listed and an unlisted name get the same answer; transfers are pull records;
 * a malformed request closes its connection and the listener goes on; a source over the rate
 * limit is cut off; the NCB sees each credential's transfers and serial.
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import * as dnsPacket from 'dns-packet';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRpz } from '../src/core/rpz-zone.ts';
import { queryRows } from '../src/db/database.ts';
import { type DnsListener, startDnsListener } from '../src/dns/listener.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { ConsoleClient } from './support/console.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';
import { hasBinaries } from './support/resolver.ts';

const run = promisify(execFile);
const haveDig = hasBinaries('dig');
if (!haveDig) console.warn('dns-transfer: skipping, dig is absent (bind9-dnsutils)');

let ctx: TestContext;
let a: Actors;
let listener: DnsListener;
let credentialId: number;
let key: { name: string; algorithm: string; secret: string };

async function dig(...args: string[]): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(listener.port), '+time=3', '+tries=1', ...args], {
    encoding: 'utf8',
  }).catch((error: { stdout: string }) => error);
  return stdout;
}
const withKey = () => ['-y', `${key.algorithm}:${key.name}:${key.secret}`];

/** dig's answer lines as `name type data`, TTL and class dropped, names without the final dot. */
function records(out: string): string[] {
  return out
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith(';'))
    .map((line) => line.split(/\s+/))
    .filter((fields) => fields[3] !== 'TSIG')
    .map(([name, , , type, ...data]) =>
      [name, type, ...data]
        .join(' ')
        .replace(/\.(?= |$)/g, '')
        .replace(/ $/, ''),
    );
}

async function artifactRecords(version: number): Promise<string[]> {
  const res = await ctx.call('GET', `/v1/list/${version}.rpz`, { token: a.isp });
  const zone = parseRpz(await res.text(), 'rpz.worstof');
  const show = (r: { name: string; type: string; data?: unknown }) => {
    if (r.type !== 'SOA') return `${r.name} ${r.type} ${r.data === '.' ? '' : r.data}`.trim();
    const d = r.data as Record<string, unknown>;
    return `${r.name} SOA ${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
  };
  return [zone.soa, ...zone.records, zone.soa].map(show);
}

async function pulls() {
  await ctx.deps.pullCache.flush();
  return queryRows<{ version: number; format: string; via: string; status: number; count: number }>(
    ctx.deps.db,
    sql`select version, format, via, status, sum(count)::int as count from pulls where credential_id = ${credentialId}
        group by version, format, via, status order by version, via, status`,
  );
}

beforeAll(async () => {
  // dig runs faster than the default 20 requests a second here; the limit has its own test.
  ctx = await createTestContext({ WOL_DNS_RATE: '1000' });
  a = await createActors(ctx);
  await report(ctx, a, 'http://zz-listed-one.com/a');
  await report(ctx, a, 'http://zz-listed-two.net/b');
  await build(ctx, a);
  const credential = await ok<{ id: number; token: string }>(
    ctx.call('POST', '/v1/credentials', {
      token: a.ncb,
      body: { organisationId: a.orgs.isp, role: 'isp', label: 'dns' },
    }),
  );
  credentialId = credential.id;
  key = await ok(ctx.call('POST', `/v1/credentials/${credentialId}/tsig-keys`, { token: a.ncb, body: {} }));
  listener = await startDnsListener(ctx.deps, '127.0.0.1:0');
});
afterAll(async () => {
  await listener?.stop();
  await ctx?.close();
});

describe.skipIf(!haveDig)(`zone transfers against dig on ${databaseName}`, () => {
  it('AXFR with the key carries exactly the rpz artifact’s records, SOA serial = version', async () => {
    const out = await dig(...withKey(), 'rpz.worstof', 'AXFR');
    expect(out).not.toMatch(/failed|verify failure|Couldn't verify/i);
    expect(records(out)).toEqual(await artifactRecords(1));
    expect(records(out)).toContain('zz-listed-one.com.rpz.worstof CNAME');
    expect(records(out)).toContain('*.zz-listed-two.net.rpz.worstof CNAME');
    expect(await pulls()).toEqual([{ version: 1, format: 'rpz', via: 'axfr', status: 200, count: 1 }]);
  });

  it('IXFR from the previous serial: the changes from the listings, signed; current: the single SOA', async () => {
    await report(ctx, a, 'http://zz-listed-three.org/c');
    await ok(
      ctx.call('POST', '/v1/domains/zz-listed-one.com/exclusion', { token: a.analyst, body: { reason: 'test' } }),
    );
    expect((await build(ctx, a)).version).toBe(2);
    const out = await dig(...withKey(), 'rpz.worstof', 'IXFR=1');
    expect(out).not.toMatch(/failed|verify failure|Couldn't verify/i);
    const soa2 = (await artifactRecords(2))[0] as string;
    expect(records(out)).toEqual([
      soa2,
      soa2.replace(/ 2 3600 /, ' 1 3600 '),
      'zz-listed-one.com.rpz.worstof CNAME',
      '*.zz-listed-one.com.rpz.worstof CNAME',
      soa2,
      'zz-listed-three.org.rpz.worstof CNAME',
      '*.zz-listed-three.org.rpz.worstof CNAME',
      soa2,
    ]);
    const current = await dig(...withKey(), '+tcp', 'rpz.worstof', 'IXFR=2');
    expect(records(current)).toEqual([soa2]);
    // Unknown serial (0): the whole zone.
    const whole = await dig(...withKey(), 'rpz.worstof', 'IXFR=0');
    expect(records(whole)).toEqual(await artifactRecords(2));
    // Identical pulls within one flush are one row with a count.
    expect((await pulls()).slice(1)).toEqual([
      { version: 2, format: 'rpz', via: 'ixfr', status: 200, count: 2 },
      { version: 2, format: 'rpz', via: 'ixfr', status: 304, count: 1 },
    ]);
  });

  it('SOA over UDP and TCP with the key', async () => {
    for (const transport of ['+notcp', '+tcp']) {
      const out = await dig(...withKey(), transport, 'rpz.worstof', 'SOA');
      expect(out).toContain('status: NOERROR');
      expect(records(out)[0]).toMatch(/^rpz\.worstof SOA localhost hostmaster\.localhost 2 /);
    }
  });

  it('without a key: REFUSED; a wrong key: NOTAUTH (BADSIG); an unknown key: NOTAUTH (BADKEY)', async () => {
    expect(await dig('rpz.worstof', 'SOA')).toContain('status: REFUSED');
    expect(await dig('rpz.worstof', 'AXFR')).toMatch(/Transfer failed|REFUSED/);
    const wrong = await dig(
      '-y',
      `${key.algorithm}:${key.name}:${Buffer.alloc(32, 9).toString('base64')}`,
      'rpz.worstof',
      'SOA',
    );
    expect(wrong).toContain('status: NOTAUTH');
    expect(wrong).toMatch(/BADSIG|tsig indicates error/i);
    const unknown = await dig('-y', `hmac-sha256:wol-isp-0-00000000:${key.secret}`, 'rpz.worstof', 'SOA');
    expect(unknown).toContain('status: NOTAUTH');
  });

  it('a skewed clock: NOTAUTH (BADTIME)', async () => {
    const real = ctx.now();
    ctx.setNow(new Date(real.getTime() + 3_600_000));
    try {
      const out = await dig(...withKey(), 'rpz.worstof', 'SOA');
      expect(out).toContain('status: NOTAUTH');
      expect(out).toMatch(/BADTIME|clocks are unsynchronized|tsig indicates error/i);
    } finally {
      ctx.setNow(real);
    }
  });

  it('a listed and an unlisted name, with and without the key, answer the same', async () => {
    for (const args of [[], withKey()]) {
      const listed = await dig(...args, 'zz-listed-two.net.rpz.worstof', 'A');
      const unlisted = await dig(...args, 'zz-never-listed.com.rpz.worstof', 'A');
      const status = (out: string) => /status: ([A-Z]+)/.exec(out)?.[1];
      expect(status(listed)).toBe('REFUSED');
      expect(status(unlisted)).toBe('REFUSED');
      expect(records(listed)).toEqual([]);
      expect(records(unlisted)).toEqual([]);
    }
    expect(await dig(...withKey(), 'other.zone', 'AXFR')).toMatch(/Transfer failed|REFUSED/);
  });

  it('a revoked credential: NOTAUTH, at once', async () => {
    const other = await ok<{ id: number }>(
      ctx.call('POST', '/v1/credentials', {
        token: a.ncb,
        body: { organisationId: a.orgs.isp, role: 'isp', label: 'x' },
      }),
    );
    const k = await ok<{ name: string; secret: string }>(
      ctx.call('POST', `/v1/credentials/${other.id}/tsig-keys`, { token: a.ncb, body: {} }),
    );
    const args = ['-y', `hmac-sha256:${k.name}:${k.secret}`, 'rpz.worstof', 'SOA'];
    expect(await dig(...args)).toContain('status: NOERROR');
    await ok(ctx.call('DELETE', `/v1/credentials/${other.id}`, { token: a.ncb }));
    expect(await dig(...args)).toContain('status: NOTAUTH');
  });

  it('a malformed request closes its connection, is counted, and the listener goes on', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(listener.port, '127.0.0.1', () => {
        socket.write(Buffer.from([0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]));
      });
      socket.on('close', () => resolve(true));
      socket.on('error', () => {});
      setTimeout(() => resolve(false), 3000);
    });
    expect(closed).toBe(true);
    const oversized = await new Promise<boolean>((resolve) => {
      const socket = connect(listener.port, '127.0.0.1', () => socket.write(Buffer.from([0xff, 0xff, 0])));
      socket.on('close', () => resolve(true));
      socket.on('error', () => {});
      setTimeout(() => resolve(false), 3000);
    });
    expect(oversized).toBe(true);
    expect(await dig(...withKey(), 'rpz.worstof', 'SOA')).toContain('status: NOERROR');
  });

  it('more requests a second from one address than WOL_DNS_RATE: the rest dropped (UDP) or closed (TCP)', async () => {
    const limited = await startDnsListener(
      { ...ctx.deps, config: { ...ctx.deps.config, WOL_DNS_RATE: 3 } },
      '127.0.0.1:0',
    );
    try {
      const query = dnsPacket.encode({ type: 'query', id: 7, questions: [{ name: 'rpz.worstof', type: 'SOA' }] });
      const udp = createSocket('udp4');
      let answers = 0;
      udp.on('message', () => answers++);
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
      for (let i = 0; i < 20; i++) udp.send(query, limited.port, '127.0.0.1');
      await new Promise((resolve) => setTimeout(resolve, 500));
      udp.close();
      // A fixed one-second window: a burst may straddle two, so at most twice the rate.
      expect(answers).toBeGreaterThanOrEqual(1);
      expect(answers).toBeLessThanOrEqual(6);
      // The window ends by the listener's clock (deps.clock), which the test moves.
      ctx.setNow(new Date(ctx.now().getTime() + 1100));
      const framed = Buffer.concat([Buffer.from([0, query.length]), query]);
      const tcp = await new Promise<{ answers: number; closed: boolean }>((resolve) => {
        let received = 0;
        const socket = connect(limited.port, '127.0.0.1', () => socket.write(Buffer.concat(Array(20).fill(framed))));
        socket.on('data', (chunk) => {
          received += chunk.length;
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve({ answers: received, closed: true }));
        setTimeout(() => resolve({ answers: received, closed: false }), 3000);
      });
      expect(tcp.closed).toBe(true);
      expect(tcp.answers).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });

  it('the NCB’s ISP view shows each credential’s zone transfers and its serial as currency', async () => {
    type View = {
      latestVersion: number;
      items: {
        organisationId: number;
        lastPulledVersion: number | null;
        lastPulledFormat: string | null;
        zoneTransfers: Record<string, unknown>[];
      }[];
    };
    const view = async () => {
      const status = await ok<View>(ctx.call('GET', '/v1/ncb/isps', { token: a.ncb }));
      return status.items.find((i) => i.organisationId === a.orgs.isp);
    };
    const isp = await view();
    expect(isp).toMatchObject({ lastPulledVersion: 2, lastPulledFormat: 'rpz' });
    // The credential that transferred: one AXFR, two IXFRs (one answered by the whole zone), at
    // version 2 of 2; the revoked one had a key and never transferred; a.isp has no key.
    expect(isp?.zoneTransfers).toEqual([
      {
        credentialId,
        label: 'dns',
        usableKeys: 1,
        axfr: 1,
        ixfr: 2,
        serial: 2,
        versionsBehind: 0,
        lastVia: 'ixfr',
        lastAt: expect.any(String),
      },
      expect.objectContaining({ label: 'x', usableKeys: 0, axfr: 0, ixfr: 0, serial: null, versionsBehind: null }),
    ]);
    // A new version: the secondary is behind until its IXFR; then current again.
    await report(ctx, a, 'http://zz-listed-four.org/d');
    expect((await build(ctx, a)).version).toBe(3);
    expect((await view())?.zoneTransfers[0]).toMatchObject({ serial: 2, versionsBehind: 1 });
    await dig(...withKey(), 'rpz.worstof', 'IXFR=2');
    expect((await view())?.zoneTransfers[0]).toMatchObject({ serial: 3, versionsBehind: 0, ixfr: 3 });
    // The console's NCB page shows the same.
    const browser = new ConsoleClient(ctx);
    await browser.signIn(a.ncb);
    const page = await browser.get('/console/ncb');
    expect(page.html).toContain('Zone transfers');
    expect(page.html).toMatch(/<td>dns<\/td><td>v3<\/td>/);
  });
});
