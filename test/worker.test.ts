/**
 * The Workers entry, bundled by wrangler from wrangler.toml and run in workerd (wrangler's
 * unstable_dev, offline) against the real PostgreSQL over Workers sockets: health, a signed
 * manifest that verifies against the worker's own JWK Set, a rate limit that holds across
 * requests (the app is built once per isolate), and a cron run that builds the next version. The data is made through the Node app on the same database, as a mixed
 * deployment would. PostgreSQL only: workerd cannot reach an in-process PGlite. The entry's
 * own wiring (configuration, Hyperdrive before DATABASE_URL, closing in waitUntil) also runs
 * in-process. (wrangler's local Hyperdrive proxy is not used: it leaves a socket open that
 * dropping the test database resets.)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http, { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Unstable_DevWorker, unstable_dev } from 'wrangler';
import { NOTIFICATION_TYP } from '../src/core/notification.ts';
import { generateSigningKey, type SigningKey, verifyCompact } from '../src/core/signing.ts';
import { checkArtifact, verifyManifest } from '../src/core/verify.ts';
import { queryRows } from '../src/db/database.ts';
import entry, { type WorkerEnv } from '../src/worker.ts';
import { type Actors, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { onPostgres } from './support/database.ts';
import { build, report } from './support/evidence.ts';

if (!onPostgres)
  console.log('worker.test.ts skipped: workerd needs a PostgreSQL server to reach (set DATABASE_URL to run it)');

const root = path.resolve(import.meta.dirname, '..');
/** Public delisting requests one address may send per window in this run. */
const DELISTING_RATE = 2;

describe.skipIf(!onPostgres)('the Workers entry in workerd', () => {
  let ctx: TestContext;
  let a: Actors;
  let key: SigningKey;
  let worker: Unstable_DevWorker;
  let state: string;

  const get = (url: string, token?: string, headers: Record<string, string> = {}) =>
    worker.fetch(url, { headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers });

  /** The bytes on the wire, undecoded (fetch would undo one layer of gzip). */
  const rawGet = (url: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: worker.port, path: url, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });

  beforeAll(async () => {
    // The webhook receiver is on loopback, a target only where WOL_WEBHOOK_ALLOW names it.
    ctx = await createTestContext({ WOL_WEBHOOK_ALLOW: '127.0.0.0/8' });
    a = await createActors(ctx);
    await report(ctx, a, 'https://first-zz-worker.example/a');
    expect((await build(ctx, a)).version).toBe(1);
    key = await generateSigningKey();

    // wrangler keeps its state in the project and asks nothing online.
    state = mkdtempSync(path.join(tmpdir(), 'wol-workerd-'));
    process.env.XDG_CONFIG_HOME = path.join(root, '.xdg');
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
    process.env.WRANGLER_SEND_METRICS = 'false';
    mkdirSync(process.env.XDG_CONFIG_HOME, { recursive: true });
    worker = await unstable_dev(path.join(root, 'src/worker.ts'), {
      config: path.join(root, 'wrangler.toml'),
      vars: {
        DATABASE_URL: ctx.databaseUrl!,
        WOL_SIGNING_KEY: JSON.stringify(key.privateJwk),
        LOG_LEVEL: 'warn',
        WOL_WEBHOOK_ALLOW: '127.0.0.0/8',
        WOL_DELISTING_RATE: String(DELISTING_RATE),
      },
      ip: '127.0.0.1',
      port: 0,
      inspectorPort: 0,
      local: true,
      // The Cache API's entries and the like live in a folder of this run only.
      persistTo: state,
      logLevel: 'warn',
      experimental: { disableExperimentalWarning: true, testScheduled: true, disableDevRegistry: true },
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await ctx?.close();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  it('answers /healthz from the database', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves a signed manifest and artifacts that verify against its JWK Set', async () => {
    const jwks = (await (await get('/.well-known/jwks.json')).json()) as { keys: { kid: string; status: string }[] };
    // The configured key was registered by the worker's first request: it signs from now on.
    expect(jwks.keys.find((k) => k.status === 'active')?.kid).toBe(key.kid);

    const res = await get('/v1/list/manifest', a.isp, { 'cf-connecting-ip': '192.0.2.7' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jose');
    const manifest = await verifyManifest(await res.text(), jwks as never, new Date());
    expect(manifest.version).toBe(1);

    const txt = await get('/v1/list/1.txt', a.isp);
    expect(txt.status).toBe(200);
    const bytes = new Uint8Array(await txt.arrayBuffer());
    checkArtifact(manifest, 'txt', bytes);
    expect(new TextDecoder().decode(bytes)).toBe('first-zz-worker.example\n');
    // Gzipped from storage once, not again by the runtime; and only for a client that asks.
    const gz = await rawGet('/v1/list/1.txt', { authorization: `Bearer ${a.isp}`, 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    checkArtifact(manifest, 'txt', new Uint8Array(gunzipSync(gz.body)));
    const plain = await rawGet('/v1/list/1.txt', { authorization: `Bearer ${a.isp}` });
    expect(plain.headers['content-encoding']).toBeUndefined();
    checkArtifact(manifest, 'txt', new Uint8Array(plain.body));

    expect((await get('/v1/list/manifest')).status).toBe(401);
  });

  it('records each pull with the address Cloudflare gives (CF-Connecting-IP)', async () => {
    // Pull records are written after the response, in waitUntil: wait for them, bounded.
    let rows: { ip: string }[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      rows = await queryRows<{ ip: string }>(ctx.deps.db, sql`select ip from pulls where format = 'manifest'`);
      if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows.map((r) => r.ip)).toContain('192.0.2.7');
  });

  it('serves artifacts from the Cache API, keyed by version, format and encoding, after the credential check', async () => {
    const isp = { authorization: `Bearer ${a.isp}` };
    const plain = { ...isp, 'accept-encoding': 'identity' };
    const first = await rawGet('/v1/list/1.csv', plain);
    expect(first.status).toBe(200);
    // The database no longer has it: only the location's cache can answer now.
    await ctx.deps.db.execute(sql`delete from artifacts where version = 1 and format = 'csv'`);
    const again = await rawGet('/v1/list/1.csv', plain);
    expect(again.status).toBe(200);
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.headers.etag).toBe(first.headers.etag);
    // The gzip encoding is another entry, never fetched: it comes from the database, which has none.
    expect((await rawGet('/v1/list/1.csv', { ...isp, 'accept-encoding': 'gzip' })).status).toBe(410);
    // No credential, or the wrong role, and the cache is never asked.
    expect((await rawGet('/v1/list/1.csv', { 'accept-encoding': 'identity' })).status).toBe(401);
    expect((await rawGet('/v1/list/1.csv', { authorization: `Bearer ${a.reporterA}` })).status).toBe(403);
  });

  it('serves /docs as a page that links to the document, with nothing from another host', async () => {
    const res = await get('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/openapi.json"');
    expect(html).not.toMatch(/https?:\/\/|<script/);
    expect((await get('/docs/assets/swagger-ui-bundle.js')).status).toBe(404);
  });

  it('refuses a client address past WOL_DELISTING_RATE public requests, counted across requests', async () => {
    const send = (n: number) =>
      worker.fetch('/v1/delisting-requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.9' },
        body: JSON.stringify({
          domain: `limited-${n}.example`,
          contact: 'owner@example.org',
          statement: 'this domain is mine and it is not abusive',
        }),
      });
    const statuses: number[] = [];
    for (let n = 0; n <= DELISTING_RATE; n++) statuses.push((await send(n)).status);
    expect(statuses).toEqual([...Array(DELISTING_RATE).fill(202), 429]);
    // Another address has its own window.
    const other = await worker.fetch('/v1/delisting-requests', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.10' },
      body: '{}',
    });
    expect(other.status).toBe(422);
  });

  it('builds the next version on a scheduled event, signed with the configured key, and notifies', async () => {
    const notified: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        notified.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      expect((await ctx.call('POST', '/v1/webhooks', { token: a.ncb, body: { url } })).status).toBe(201);
      await report(ctx, a, 'https://second-zz-worker.example/b');
      const res = await get('/__scheduled?cron=0+*+*+*+*');
      expect(res.status).toBe(200);
      // Delivered after the handler returned, in waitUntil, before the connection closed.
      for (let i = 0; i < 50 && notified.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      const jwks = await (await get('/.well-known/jwks.json')).json();
      const { payload } = await verifyCompact(notified[0]!, jwks as never, NOTIFICATION_TYP);
      expect(payload).toMatchObject({ version: 2 });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }

    const runs = await queryRows<{ trigger: string; outcome: string; version: number }>(
      ctx.deps.db,
      sql`select trigger, outcome, version from build_runs order by id desc limit 1`,
    );
    expect(runs[0]).toMatchObject({ trigger: 'schedule', outcome: 'changed', version: 2 });

    const jwks = await (await get('/.well-known/jwks.json')).json();
    const jws = await (await get('/v1/list/manifest', a.isp)).text();
    const manifest = await verifyManifest(jws, jwks as never, new Date());
    expect(manifest.version).toBe(2);
    expect(JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()).kid).toBe(key.kid);
    const txt = new Uint8Array(await (await get('/v1/list/latest.txt', a.isp)).arrayBuffer());
    checkArtifact(manifest, 'txt', txt);
    expect(new TextDecoder().decode(txt)).toBe('first-zz-worker.example\nsecond-zz-worker.example\n');
  });
});

describe('the Workers entry in-process', () => {
  /** What the runtime hands the entry: waitUntil promises are collected and awaited. */
  const context = () => {
    const pending: Promise<unknown>[] = [];
    return { pending, waitUntil: (p: Promise<unknown>) => void pending.push(p), settled: () => Promise.all(pending) };
  };

  it('answers 500 problem+json, naming nothing secret, without a database to reach', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const env = { LOG_LEVEL: 'silent', WOL_SESSION_SECRET: 'a-secret-that-must-not-leak-anywhere-0123' };
    const res = await entry.fetch(new Request('http://worker/healthz'), env, context());
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ code: 'misconfigured' });
    expect(String(logged.mock.calls[0]?.[0])).toContain('DATABASE_URL');
    expect(body + String(logged.mock.calls)).not.toContain('a-secret');
    logged.mockRestore();
  });

  it.skipIf(!onPostgres)('takes the database from a Hyperdrive binding before DATABASE_URL', async () => {
    const test = await createTestContext();
    try {
      const env: WorkerEnv = {
        HYPERDRIVE: { connectionString: test.databaseUrl! },
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere',
        LOG_LEVEL: 'silent',
      };
      const ctx = context();
      expect((await entry.fetch(new Request('http://worker/healthz'), env, ctx)).status).toBe(200);
      await ctx.settled();
    } finally {
      await test.close();
    }
  });

  it.skipIf(!onPostgres)('falls back to the DATABASE_URL secret, its connection closed in waitUntil', async () => {
    const test = await createTestContext();
    const others = async () =>
      (
        await queryRows<{ n: number }>(
          test.deps.db,
          sql`select count(*)::int as n from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid()`,
        )
      )[0]!.n;
    try {
      const env: WorkerEnv = { DATABASE_URL: test.databaseUrl!, LOG_LEVEL: 'silent' };
      const ctx = context();
      const before = await others();
      const res = await entry.fetch(new Request('http://worker/healthz'), env, ctx);
      expect(res.status).toBe(200);
      // The response is out; closing the connection is left to waitUntil.
      expect(ctx.pending).toHaveLength(1);
      await ctx.settled();
      // The server ends the backend just after the client's goodbye: wait for it, bounded.
      let after = await others();
      for (let i = 0; i < 40 && after !== before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await others();
      }
      expect(after).toBe(before);
    } finally {
      await test.close();
    }
  });
});
