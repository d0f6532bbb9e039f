/**
 * A real Squid (Debian's squid) as an ISP's proxy runs the `squid` artifact (issue 19): the
 * file pulled with the Basic credential a device would use, as a `dstdomain` ACL. Squid
 * parses it without a warning, refuses a proxied request to a listed domain and to its
 * subdomains, and passes an unlisted one to a local origin.
 *
 * Offline: Squid resolves every name from its own hosts file (all to 127.0.0.1, the origin),
 * so a refusal can only come from the ACL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed as listedKeys, listHostnames, report } from './support/evidence.ts';
import { longestDomain } from './support/names.ts';
import { freeTcpPort, waitFor } from './support/programs.ts';

const SQUID = '/usr/sbin/squid';
const haveSquid = await readFile(SQUID).then(
  () => true,
  () => false,
);
if (!haveSquid) console.warn('squid: skipping, /usr/sbin/squid is absent (Debian package squid)');

const listed = ['zz-sq-one.com', 'deep.zz-sq-one.com', 'img.zz-sq-two.net', longestDomain];
const unlisted = 'www.zz-sq-clean.com';

let ctx: TestContext;
let a: Actors;
let work: string;
let origin: Server;
let squid: ChildProcess | undefined;
let proxyPort: number;
let file: string;

/** A request through the proxy: its status and Squid's error code, if any. */
function viaProxy(host: string): Promise<{ status: number; error: string | null; body: string }> {
  const { port } = origin.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: proxyPort, path: `http://${host}:${port}/page`, headers: { host: `${host}:${port}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, error: (res.headers['x-squid-error'] as string) ?? null, body }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

beforeAll(async () => {
  if (!haveSquid) return;
  ctx = await createTestContext();
  a = await createActors(ctx);
  // Hostname policies, so that keys nest (deep.zz-sq-one.com under zz-sq-one.com) and the longest is whole.
  for (const domain of ['zz-sq-one.com', 'zz-sq-two.net', longestDomain.split('.').slice(-2).join('.')])
    await listHostnames(ctx, a, domain);
  for (const name of listed) await report(ctx, a, `http://${name}/a`);
  await build(ctx, a);
  expect(await listedKeys(ctx, a)).toEqual([...listed].sort());

  // The device's credential: HTTP Basic, the ISP key as the password.
  const res = await ctx.call('GET', '/v1/list/latest.squid', {
    headers: { authorization: `Basic ${Buffer.from(`squid:${a.isp}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  // Squid drops root for its cache_effective_user, which must read and write here.
  work = await mkdtemp(path.join(tmpdir(), 'wol-squid-'));
  await chmod(work, 0o777);
  file = path.join(work, 'worstof.squid');
  await writeFile(file, await res.text());

  origin = createServer((_req, res) => res.end('from the origin'));
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  proxyPort = await freeTcpPort();
  const names = [...listed, `www.${listed[0]}`, `a.b.${listed[2]}`, unlisted];
  await writeFile(path.join(work, 'hosts'), names.map((name) => `127.0.0.1 ${name}\n`).join(''));
  const conf = path.join(work, 'squid.conf');
  await writeFile(
    conf,
    [
      `http_port 127.0.0.1:${proxyPort}`,
      `acl worstof dstdomain "${file}"`,
      'http_access deny worstof',
      'http_access allow localhost',
      'http_access deny all',
      `hosts_file ${path.join(work, 'hosts')}`,
      'dns_nameservers 127.0.0.1',
      'cache deny all',
      'cache_effective_user proxy',
      `pid_filename ${path.join(work, 'squid.pid')}`,
      `cache_log ${path.join(work, 'cache.log')}`,
      'access_log none',
      'cache_store_log none',
      `coredump_dir ${work}`,
      'netdb_filename none',
      'shutdown_lifetime 0 seconds',
      '',
    ].join('\n'),
  );
  squid = spawn(SQUID, ['-N', '-f', conf], { stdio: 'ignore' });
  await waitFor(
    () => accepts(proxyPort),
    'squid listening',
    () => readFile(path.join(work, 'cache.log'), 'utf8'),
  );
}, 60_000);

afterAll(async () => {
  if (!haveSquid) return;
  if (squid && squid.exitCode === null) {
    const exited = new Promise((resolve) => squid?.once('exit', resolve));
    squid.kill('SIGTERM');
    await exited;
  }
  await new Promise((resolve) => origin.close(resolve));
  await rm(work, { recursive: true, force: true });
  await ctx.close();
});

describe.skipIf(!haveSquid)(`a real Squid with the squid artifact on ${databaseName}`, () => {
  it('parses the file without warnings: a subdomain of a listed domain is not in it twice', async () => {
    const text = await readFile(file, 'utf8');
    expect(text).toContain('\n.zz-sq-one.com\n');
    expect(text).not.toContain('deep.zz-sq-one.com'); // listed, but under zz-sq-one.com
    const log = await readFile(path.join(work, 'cache.log'), 'utf8');
    expect(log).not.toMatch(/WARNING|ERROR|FATAL/);
  });

  it('refuses a listed domain and its subdomains, and passes an unlisted one to the origin', async () => {
    for (const host of [
      'zz-sq-one.com',
      'www.zz-sq-one.com',
      'deep.zz-sq-one.com',
      'img.zz-sq-two.net',
      'a.b.img.zz-sq-two.net',
    ]) {
      const answer = await viaProxy(host);
      expect(answer.status, host).toBe(403);
      expect(answer.error, host).toMatch(/^ERR_ACCESS_DENIED/);
    }
    const long = await viaProxy(longestDomain);
    expect(long.status).toBe(403);
    expect(await viaProxy(unlisted)).toEqual({ status: 200, error: null, body: 'from the origin' });
  });
});
