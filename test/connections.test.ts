/**
 * The real server process and clients that misbehave or get refused mid-upload, over real
 * loopback connections (node:http with a keep-alive agent): an NDJSON upload the client cuts
 * off is a client abort (499, 'client closed the request'), not an error of ours; an early
 * 401, 413 or 415 to a body still arriving says `Connection: close`, so the client's next
 * request goes on a new connection instead of one the server is about to drop.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, ok } from './support/actors.ts';
import { createTestDatabase, databaseName, onPostgres } from './support/database.ts';
import { type Served, startServe } from './support/serve.ts';

const MAX_BODY = 1024 * 1024;

let dataDir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
let server: Served;
let reporter: string;

beforeAll(async () => {
  if (onPostgres) database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'wol-connections-'));
  await chmod(dataDir, 0o700);
  server = await startServe({
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url ?? '',
    WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    WOL_METRICS_ALLOW: '127.0.0.0/8',
    WOL_MAX_BODY_BYTES: String(MAX_BODY),
  });
  const post = (url: string, body: unknown) =>
    fetch(`${server.url}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const org = await ok<{ id: number }>(
    post('/v1/organisations', { name: 'ZZ Hotline', kind: 'hotline', country: 'SE' }),
  );
  reporter = (
    await ok<{ token: string }>(post('/v1/credentials', { organisationId: org.id, role: 'reporter', label: 'r' }))
  ).token;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const line = (i: number) => `${JSON.stringify({ externalRef: `c-${i}`, url: `http://zz-conn-${i}.com/x` })}\n`;

interface Answer {
  status: number;
  connection: string | undefined;
  /** The client's port: a new one means a new connection. */
  localPort: number | undefined;
}

/**
 * Sends `chunks` of body one every 50 ms, as a slow upload does, and keeps sending after an
 * early answer (a client does not read while it writes); resolves with the answer.
 */
function upload(agent: Agent, headers: Record<string, string>, chunks: string[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: Number(new URL(server.url).port),
      agent,
      method: 'POST',
      path: '/v1/reports',
      headers,
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, localPort: req.socket?.localPort }),
      );
    });
    req.on('error', reject);
    const next = () => {
      if (req.destroyed) return;
      const chunk = chunks.shift();
      if (chunk === undefined) req.end();
      else req.write(chunk, () => setTimeout(next, 50));
    };
    next();
  });
}

function get(agent: Agent, url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${url}`, { agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, localPort: req.socket?.localPort }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe(`connections to the server process on ${databaseName}`, () => {
  it('counts and logs an NDJSON upload the client cuts off as a client abort (499), not an error', async () => {
    const req = request(`${server.url}/v1/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reporter}`, 'content-type': 'application/x-ndjson' },
    });
    req.on('error', () => {});
    // Fewer lines than one group: the server is waiting for more of the body when it goes.
    req.write(Array.from({ length: 200 }, (_, i) => line(i)).join(''));
    await new Promise((r) => setTimeout(r, 500));
    req.destroy();
    await server.waitFor('client closed the request');

    const lines = server.lines();
    const aborted = lines.find((l) => l.msg === 'client closed the request');
    expect(aborted).toMatchObject({ route: '/v1/reports' });
    expect(lines.find((l) => l.msg === 'request' && l.requestId === aborted?.requestId)).toMatchObject({
      method: 'POST',
      route: '/v1/reports',
      status: 499,
    });
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/worstof_http_request_duration_seconds_count\{[^}]*route="\/v1\/reports",status="499"\} 1/);
    expect(metrics).not.toMatch(/route="\/v1\/reports",status="5\d\d"/);
  });

  // Chunks of 64 kB, one every 50 ms: 14 or 20 of them arrive well past the server's 500 ms of draining.
  const chunks = (n: number) => Array.from({ length: n }, () => line(1).repeat(Math.ceil(64_000 / line(1).length)));
  const length = (n: number) => String(chunks(n).join('').length);
  it.each([
    [
      '401 (a wrong key)',
      401,
      20,
      { authorization: 'Bearer wol_reporter_not-a-key', 'content-type': 'application/x-ndjson' },
    ],
    [
      '413 (a body over WOL_MAX_BODY_BYTES)',
      413,
      20,
      { 'content-type': 'application/json', 'content-length': length(20) },
    ],
    ['415 (text/plain)', 415, 14, { 'content-type': 'text/plain', 'content-length': length(14) }],
  ] as const)(
    'answers an early %s to a slow upload with Connection: close; the next request takes a new connection',
    async (_, status, n, headers) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const refused = await upload(agent, { authorization: `Bearer ${reporter}`, ...headers }, chunks(n));
        expect(refused).toMatchObject({ status, connection: 'close' });
        const next = await get(agent, '/healthz');
        expect(next.status).toBe(200);
        expect(next.localPort).not.toBe(refused.localPort);
        // What the answer said holds: the following request keeps its connection.
        expect((await get(agent, '/healthz')).localPort).toBe(next.localPort);
      } finally {
        agent.destroy();
      }
    },
  );

  it('keeps the connection alive after an answer to a body read whole', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answered = await upload(
        agent,
        { authorization: `Bearer ${reporter}`, 'content-type': 'application/x-ndjson' },
        [line(1), line(2)],
      );
      expect(answered).toMatchObject({ status: 200, connection: 'keep-alive' });
      expect((await get(agent, '/healthz')).localPort).toBe(answered.localPort);
    } finally {
      agent.destroy();
    }
  });
});
