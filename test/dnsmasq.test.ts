/**
 * A real dnsmasq (Debian's dnsmasq) as an ISP's or a network's resolver runs the `dnsmasq`
 * artifact (issue 19): the file pulled with the Basic credential, loaded with conf-file=.
 * It answers NXDOMAIN for a listed name and every name under it, and resolves an unlisted
 * local name.
 *
 * Offline: no upstream servers (no-resolv), the local names from a hosts file of the test's
 * own; a name neither listed nor local is REFUSED, so an NXDOMAIN can only come from the list.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed as listedKeys, listHostnames, report } from './support/evidence.ts';
import { longestDomain } from './support/names.ts';
import { waitFor } from './support/programs.ts';
import { freeUdpPort, hasBinaries } from './support/resolver.ts';

const DNSMASQ = '/usr/sbin/dnsmasq';
const run = promisify(execFile);
const haveDnsmasq = hasBinaries(DNSMASQ, 'dig');
if (!haveDnsmasq) console.warn('dnsmasq: skipping, /usr/sbin/dnsmasq or dig is absent (dnsmasq, bind9-dnsutils)');

const listed = ['zz-dm-one.com', 'deep.zz-dm-one.com', 'img.zz-dm-two.net', longestDomain];
const local = 'host.zz-dm-local.com';

let ctx: TestContext;
let a: Actors;
let work: string;
let file: string;
let port: number;
let dnsmasq: ChildProcess | undefined;
let log = '';

async function status(name: string): Promise<{ status: string; answer: string }> {
  const { stdout } = await run(
    'dig',
    ['@127.0.0.1', '-p', String(port), '+time=1', '+tries=1', '+noall', '+comments', '+answer', name, 'A'],
    { timeout: 5000 },
  ).catch((error: { stdout: string }) => error);
  const answer = stdout
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith(';'))
    .map((line) => line.split(/\s+/).slice(3).join(' '))
    .join('; ');
  return { status: /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NO ANSWER', answer };
}

beforeAll(async () => {
  if (!haveDnsmasq) return;
  ctx = await createTestContext();
  a = await createActors(ctx);
  // Hostname policies, so that keys nest (deep.zz-dm-one.com under zz-dm-one.com) and the longest is whole.
  for (const domain of ['zz-dm-one.com', 'zz-dm-two.net', longestDomain.split('.').slice(-2).join('.')])
    await listHostnames(ctx, a, domain);
  for (const name of listed) await report(ctx, a, `http://${name}/a`);
  await build(ctx, a);
  expect(await listedKeys(ctx, a)).toEqual([...listed].sort());

  const res = await ctx.call('GET', '/v1/list/latest.dnsmasq', {
    headers: { authorization: `Basic ${Buffer.from(`dnsmasq:${a.isp}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  work = await mkdtemp(path.join(tmpdir(), 'wol-dnsmasq-'));
  // Started as root, dnsmasq reads the hosts file after dropping to its own user.
  await chmod(work, 0o755);
  file = path.join(work, 'worstof.dnsmasq.conf');
  await writeFile(file, await res.text());
  await writeFile(path.join(work, 'hosts'), `192.0.2.53 ${local}\n`);

  port = await freeUdpPort();
  dnsmasq = spawn(
    DNSMASQ,
    [
      '--keep-in-foreground',
      '--log-facility=-',
      '--log-queries',
      '--conf-file=/dev/null', // not /etc/dnsmasq.conf
      `--conf-file=${file}`,
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      `--addn-hosts=${path.join(work, 'hosts')}`,
      `--pid-file=${path.join(work, 'dnsmasq.pid')}`,
      '--cache-size=0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const stream of [dnsmasq.stdout, dnsmasq.stderr])
    stream?.on('data', (chunk) => {
      log += chunk;
    });
  await waitFor(
    async () => {
      if (dnsmasq?.exitCode !== null) throw new Error(`dnsmasq exited ${dnsmasq?.exitCode}:\n${log}`);
      return (await status(local)).status === 'NOERROR';
    },
    'dnsmasq answering',
    async () => log,
  );
}, 60_000);

afterAll(async () => {
  if (!haveDnsmasq) return;
  if (dnsmasq && dnsmasq.exitCode === null) {
    const exited = new Promise((resolve) => dnsmasq?.once('exit', resolve));
    dnsmasq.kill('SIGTERM');
    await exited;
  }
  await rm(work, { recursive: true, force: true });
  await ctx.close();
});

describe.skipIf(!haveDnsmasq)(`a real dnsmasq with the dnsmasq artifact on ${databaseName}`, () => {
  it('loads the file: one local= line per outermost listed domain', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.startsWith('local='));
    expect(lines).toEqual([`local=/${longestDomain}/`, 'local=/img.zz-dm-two.net/', 'local=/zz-dm-one.com/']);
    expect(log).not.toMatch(/bad|error/i);
  });

  it('answers NXDOMAIN for a listed name and every name under it, and resolves an unlisted local name', async () => {
    for (const name of [
      'zz-dm-one.com',
      'www.zz-dm-one.com',
      'deep.zz-dm-one.com',
      'img.zz-dm-two.net',
      'a.b.img.zz-dm-two.net',
      longestDomain,
    ])
      expect((await status(name)).status, name).toBe('NXDOMAIN');
    expect(await status(local)).toEqual({ status: 'NOERROR', answer: 'A 192.0.2.53' });
    // Neither listed nor local: dnsmasq has nowhere to ask, and says so.
    expect((await status('zz-dm-two.net')).status).toBe('REFUSED');
  });
});
