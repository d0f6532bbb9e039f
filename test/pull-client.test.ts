/**
 * The ISP client an ISP installs (issue 19 item 3): /client/worstof-pull.mjs, fetched over
 * HTTP, copied alone into an empty folder outside the repository with no node_modules above it,
 * run by `node` against a real server: it pulls, verifies, installs the RPZ, exits as
 * `worstof pull` does (4 for a tampered artifact, the file untouched), and /client prints its
 * sha256 in the README's install lines, which install it (and refuse a wrong sha256). Also
 * through a real `serve` process, which reads the bundle npm install writes.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/core/tokens.ts';
import { createApp } from '../src/http/app.ts';
import { pullClientPath } from '../src/pull-client-file.ts';
import { type Actors, ADMIN_TOKEN, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { createTestDatabase, databaseName, onPostgres } from './support/database.ts';
import { build, report } from './support/evidence.ts';
import { payloadOf } from './support/jws.ts';
import { startServe } from './support/serve.ts';

let ctx: TestContext;
let a: Actors;
let dir: string;
let elsewhere: string;
let client: string;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  await report(ctx, a, 'http://img.zz-client-one.com/a');
  await report(ctx, a, 'http://zz-client-two.net/b');
  await build(ctx, a);
  dir = await mkdtemp(path.join(tmpdir(), 'wol-client-'));
  elsewhere = await mkdtemp(path.join(tmpdir(), 'wol-client-install-'));
  client = path.join(dir, 'worstof-pull.mjs');
});
afterAll(async () => {
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
  await rm(elsewhere, { recursive: true, force: true });
});

/** The app on loopback, behind a front that may rewrite what the client receives. */
async function serveApp(rewrite: (path: string, res: Response) => Promise<Response> | Response = (_, r) => r) {
  const front = new Hono();
  front.all('*', async (c) => rewrite(c.req.path, await ctx.app.fetch(c.req.raw, c.env)));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: front.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** `node worstof-pull.mjs <args>` run from its own folder, with nothing of ours on any path. */
function runClient(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [client, ...args],
      { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The sh blocks of the README's client section: the install lines, the key set, the cron line. */
function readmeBlocks(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### The client, worstof-pull.mjs'), readme.indexOf('### BIND'));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

const unescapeHtml = (text: string) =>
  text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '',
  );

const manifestOf = async () =>
  payloadOf(await ctx.call('GET', '/v1/list/manifest', { token: a.isp }).then((r) => r.text())) as {
    version: number;
    artifacts: Record<string, { sha256: string }>;
  };

describe(`the ISP client file on ${databaseName}`, () => {
  it('is served publicly, and /client prints its sha256 and install lines', async () => {
    const server = await serveApp();
    try {
      const res = await fetch(`${server.url}/client/worstof-pull.mjs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      const bytes = new Uint8Array(await res.arrayBuffer());
      await writeFile(client, bytes);
      const sha256 = sha256Hex(bytes);
      expect(res.headers.get('etag')).toBe(`"${sha256}"`);
      const again = await fetch(`${server.url}/client/worstof-pull.mjs`, {
        headers: { 'if-none-match': `"${sha256}"` },
      });
      expect(again.status).toBe(304);

      const page = await fetch(`${server.url}/client`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const text = await page.text();
      expect(text.match(/<code id="sha256">([0-9a-f]{64})<\/code>/)?.[1]).toBe(sha256);
      // The page prints the README's lines, the address and the sha256 filled in; they install the file.
      const pre = (id: string) => unescapeHtml(new RegExp(`<pre id="${id}">([^<]*)</pre>`).exec(text)?.[1] ?? '');
      const [install = '', , cron = ''] = readmeBlocks();
      const filled = (block: string) =>
        block.replaceAll('https://worstof.example', server.url).replace('SHA256-FROM-/client', sha256).trimEnd();
      expect(pre('install')).toBe(filled(install));
      expect(pre('cron')).toBe(filled(cron));
      const installDir = path.join(elsewhere, 'lib');
      await promisify(execFile)('bash', ['-ec', pre('install').replaceAll('/usr/local/lib/worstof', installDir)]);
      expect(sha256Hex(await readFile(path.join(installDir, 'worstof-pull.mjs')))).toBe(sha256);
      const tampered = await promisify(execFile)('bash', [
        '-ec',
        pre('install').replaceAll('/usr/local/lib/worstof', installDir).replace(sha256, '0'.repeat(64)),
      ]).catch((error: { code: number }) => error);
      expect('code' in tampered && tampered.code).toBe(1);
    } finally {
      await server.close();
    }
    // Alone in its folder, and no node_modules in it or anywhere above it to resolve from.
    expect(await readdir(dir)).toEqual(['worstof-pull.mjs']);
    for (let up = dir; ; up = path.dirname(up)) {
      expect(existsSync(path.join(up, 'node_modules')), up).toBe(false);
      if (path.dirname(up) === up) break;
    }
  });

  it('pulls, verifies and installs the RPZ, then finds it current', async () => {
    const server = await serveApp();
    try {
      const jwks = path.join(dir, 'jwks.json');
      await writeFile(jwks, await ctx.call('GET', '/.well-known/jwks.json').then((r) => r.text()));
      const out = path.join(dir, 'worst-of.rpz');
      const args = ['--server', server.url, '--format', 'rpz', '--out', out, '--jwks', jwks];
      const run = await runClient(args, { WOL_TOKEN: a.isp });
      expect(run.code, run.stderr).toBe(0);
      const manifest = await manifestOf();
      expect(run.stderr).toContain(`version ${manifest.version}: 2 entries written to ${out}`);
      expect(sha256Hex(await readFile(out))).toBe(manifest.artifacts.rpz?.sha256);
      expect(await readFile(out, 'utf8')).toContain('*.zz-client-two.net');
      expect(JSON.parse(await readFile(`${out}.state.json`, 'utf8'))).toMatchObject({ version: manifest.version });

      const current = await runClient([...args, '--exec', 'echo reloaded'], { WOL_TOKEN: a.isp });
      expect(current.code, current.stderr).toBe(0);
      expect(current.stderr).toContain('is current');
      expect(current.stdout).not.toContain('reloaded');

      // A new version: installed, and --exec runs after the change.
      await report(ctx, a, 'http://zz-client-three.org/c');
      await build(ctx, a);
      const next = await runClient([...args, '--token', a.isp, '--exec', 'echo reloaded']);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout).toContain('reloaded');
      expect(await readFile(out, 'utf8')).toContain('*.zz-client-three.org');
    } finally {
      await server.close();
    }
  });

  it('refuses a tampered artifact with exit 4 and leaves the file as it was', async () => {
    const out = path.join(dir, 'tampered.rpz');
    await writeFile(out, 'previous list\n');
    const before = await stat(out);
    const server = await serveApp(async (p, res) =>
      /\/v1\/list\/\d+\.rpz$/.test(p) ? new Response(`${await res.text()}zz-innocent.example CNAME .\n`) : res,
    );
    try {
      const run = await runClient(['--server', server.url, '--token', a.isp, '--format', 'rpz', '--out', out]);
      expect(run.code, run.stderr).toBe(4);
      expect(run.stderr).toContain('refused (digest_mismatch)');
    } finally {
      await server.close();
    }
    expect(await readFile(out, 'utf8')).toBe('previous list\n');
    expect((await stat(out)).mtimeMs).toBe(before.mtimeMs);
    expect(existsSync(`${out}.state.json`)).toBe(false);
  });

  it('exits 2 for a usage error and 1 when the server cannot be reached', async () => {
    const usage = await runClient(['--server', 'http://127.0.0.1:9', '--out', path.join(dir, 'x.txt')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--token is required');
    const format = await runClient(['--server', 'http://127.0.0.1:9', '--token', a.isp, '--out', 'x', '--format', 'x']);
    expect(format.code).toBe(2);
    const unreachable = await runClient(['--server', 'http://127.0.0.1:9', '--token', a.isp, '--out', 'x.txt']);
    expect(unreachable.code, unreachable.stderr).toBe(1);
    expect(unreachable.stderr).toMatch(/^worstof pull: /);
  });

  it('is answered 503 by an app without the bundle (Workers, or not built)', async () => {
    const { pullClient: _, ...without } = ctx.deps;
    const app = createApp(without);
    for (const url of ['/client/worstof-pull.mjs', '/client']) {
      const res = await app.request(url);
      expect(res.status, url).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ code: 'client_unavailable' });
    }
  });
});

describe(`the ISP client from a real serve on ${databaseName}`, () => {
  let dataDir: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  beforeAll(async () => {
    if (onPostgres) database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'wol-client-serve-'));
    await chmod(dataDir, 0o700);
  });
  afterAll(async () => {
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the file npm install built, and that file installs the list it publishes', async () => {
    const server = await startServe({
      DATA_DIR: dataDir,
      DATABASE_URL: database?.url ?? '',
      WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    try {
      expect(server.output()).not.toContain('no ISP client to serve');
      const bytes = new Uint8Array(await (await fetch(`${server.url}/client/worstof-pull.mjs`)).arrayBuffer());
      expect(sha256Hex(bytes)).toBe(sha256Hex(await readFile(pullClientPath)));
      expect(await (await fetch(`${server.url}/client`)).text()).toContain(
        `<code id="sha256">${sha256Hex(bytes)}</code>`,
      );
      await writeFile(client, bytes);

      const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
      const post = async <T>(url: string, body: unknown) =>
        ok<T>(fetch(`${server.url}${url}`, { method: 'POST', headers: admin, body: JSON.stringify(body) }));
      const isp = await post<{ id: number }>('/v1/organisations', { name: 'ZZ Serve ISP', kind: 'isp', country: 'SE' });
      const key = await post<{ token: string }>('/v1/credentials', { organisationId: isp.id, role: 'isp', label: 'r' });
      expect(await post<{ version: number }>('/v1/builds', {})).toMatchObject({ version: 1 });

      const out = path.join(dir, 'serve.rpz');
      const run = await runClient(['--server', server.url, '--token', key.token, '--format', 'rpz', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('version 1: 0 entries');
      expect(await readFile(out, 'utf8')).toMatch(/SOA/);
    } finally {
      await server.stop();
    }
  });
});
