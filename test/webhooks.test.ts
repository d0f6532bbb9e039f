/**
 * Notifications: NCBs register webhooks; each new version is POSTed, signed, to a real
 * receiver on loopback, verified here against the published JWK Set; failures are retried
 * with back-off and recorded per attempt, and a receiver that never answers slows no build.
 * Loopback is a target only because WOL_WEBHOOK_ALLOW names it: without that, a loopback or
 * other non-public host is refused at registration, and a name resolving to one at delivery,
 * recorded as refused whatever the target would have done.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/database.ts';
import { insertWebhook } from '../src/db/repositories/webhooks.ts';
import { createApp } from '../src/http/app.ts';
import { REFUSED_DELIVERY } from '../src/services/notifications.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';

interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
  at: number;
}

/** A receiver on loopback: `answer` decides each reply by path (a status, or 'hang' for none at all). */
async function receiver(answer: (path: string, n: number) => number | 'hang') {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body, at: Date.now() });
      const reply = answer(req.url ?? '', received.filter((r) => r.path === req.url).length);
      if (reply === 'hang') hanging.push(res);
      else res.writeHead(reply).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, received, close };
}

const FAST_RETRIES = { WOL_WEBHOOK_ATTEMPTS: '3', WOL_WEBHOOK_BACKOFF: '1', WOL_WEBHOOK_TIMEOUT: '1' };

let ctx: TestContext;
let a: Actors;

beforeAll(async () => {
  ctx = await createTestContext({ ...FAST_RETRIES, WOL_WEBHOOK_ALLOW: '127.0.0.0/8, ::1' });
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

const deliveries = (webhookId: number, on: TestContext = ctx) =>
  queryRows<{ version: number; attempt: number; status: number | null; error: string | null }>(
    on.deps.db,
    sql`select version, attempt, status, error from webhook_deliveries where webhook_id = ${webhookId} order by id`,
  );

describe(`webhooks on ${databaseName}`, () => {
  it('lets NCBs and admins manage webhooks, an NCB only its own organisation’s, http(s) only', async () => {
    const mine = await ok<{ id: number; organisationId: number }>(
      ctx.call('POST', '/v1/webhooks', { token: a.ncb, body: { url: 'https://ncb.example/hook' } }),
    );
    expect(mine.organisationId).toBe(a.orgs.ncb);
    for (const url of ['ftp://ncb.example/x', 'https://user:secret@ncb.example/x', 'not a url', 'javascript:alert(1)'])
      expect((await ctx.call('POST', '/v1/webhooks', { token: a.ncb, body: { url } })).status, url).toBe(422);
    expect(
      (
        await ctx.call('POST', '/v1/webhooks', {
          token: a.ncb,
          body: { url: 'https://x.example/', organisationId: a.orgs.isp },
        })
      ).status,
    ).toBe(403);

    const otherNcbOrg = await ok<{ id: number }>(
      ctx.call('POST', '/v1/organisations', { token: a.admin, body: { name: 'ZZ NCB 2', kind: 'ncb', country: 'IT' } }),
    );
    const otherNcb = (
      await ok<{ token: string }>(
        ctx.call('POST', '/v1/credentials', {
          token: a.admin,
          body: { organisationId: otherNcbOrg.id, role: 'ncb', label: 'ncb 2' },
        }),
      )
    ).token;
    const theirs = await ok<{ id: number }>(
      ctx.call('POST', '/v1/webhooks', {
        token: a.admin,
        body: { url: 'https://ncb2.example/hook', organisationId: otherNcbOrg.id },
      }),
    );
    const seen = await ok<{ items: { id: number }[] }>(ctx.call('GET', '/v1/webhooks', { token: a.ncb }));
    expect(seen.items.map((w) => w.id)).toEqual([mine.id]);
    expect(
      (await ok<{ items: { id: number }[] }>(ctx.call('GET', '/v1/webhooks', { token: otherNcb }))).items.map(
        (w) => w.id,
      ),
    ).toEqual([theirs.id]);
    const all = await ok<{ items: { id: number }[] }>(ctx.call('GET', '/v1/webhooks', { token: a.admin }));
    expect(all.items.map((w) => w.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));

    expect((await ctx.call('DELETE', `/v1/webhooks/${theirs.id}`, { token: a.ncb })).status).toBe(404);
    await ok(ctx.call('DELETE', `/v1/webhooks/${theirs.id}`, { token: otherNcb }));
    await ok(ctx.call('DELETE', `/v1/webhooks/${mine.id}`, { token: a.ncb }));
    expect((await ctx.call('DELETE', `/v1/webhooks/${mine.id}`, { token: a.ncb })).status).toBe(404);
    expect((await ok<{ items: unknown[] }>(ctx.call('GET', '/v1/webhooks', { token: a.admin }))).items).toEqual([]);
  });

  it('POSTs each new version, signed, and retries failures with back-off, recording every attempt', async () => {
    // /ok answers at once; /flaky fails twice then succeeds; /down always fails.
    const rx = await receiver((path, n) => (path === '/ok' ? 204 : path === '/flaky' ? (n < 3 ? 503 : 200) : 500));
    try {
      const hook = async (path: string) =>
        (
          await ok<{ id: number }>(
            ctx.call('POST', '/v1/webhooks', { token: a.ncb, body: { url: `${rx.url}${path}` } }),
          )
        ).id;
      const [okId, flakyId, downId] = [await hook('/ok'), await hook('/flaky'), await hook('/down')];
      await report(ctx, a, 'http://zz-hook-one.example/a');
      const result = await build(ctx, a);
      expect(result.changed).toBe(true);
      await ctx.deps.notifier.pending();

      const jwks = createLocalJWKSet(await ok(ctx.call('GET', '/.well-known/jwks.json')));
      const manifest = await (await ctx.call('GET', '/v1/list/manifest', { token: a.ncb })).text();
      const { createHash } = await import('node:crypto');
      const manifestSha256 = createHash('sha256').update(manifest).digest('hex');
      const toOk = rx.received.filter((r) => r.path === '/ok');
      expect(toOk).toHaveLength(1);
      expect(toOk[0]!.contentType).toBe('application/jose');
      expect(decodeProtectedHeader(toOk[0]!.body)).toMatchObject({ alg: 'EdDSA', typ: 'wol-notification+jws' });
      const { payload } = await compactVerify(toOk[0]!.body, jwks);
      expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({
        version: result.version,
        manifestSha256,
        iat: Math.floor(ctx.now().getTime() / 1000),
      });

      const flaky = rx.received.filter((r) => r.path === '/flaky');
      expect(flaky).toHaveLength(3);
      // Back-off: 1 s before the second attempt, 2 s before the third.
      expect(flaky[1]!.at - flaky[0]!.at).toBeGreaterThanOrEqual(900);
      expect(flaky[2]!.at - flaky[1]!.at).toBeGreaterThanOrEqual(1900);
      expect(new Set(flaky.map((r) => r.body)).size).toBe(1);

      expect(await deliveries(okId)).toEqual([{ version: result.version, attempt: 1, status: 204, error: null }]);
      expect((await deliveries(flakyId)).map((d) => [d.attempt, d.status])).toEqual([
        [1, 503],
        [2, 503],
        [3, 200],
      ]);
      const down = await deliveries(downId);
      expect(down.map((d) => [d.attempt, d.status, d.error])).toEqual([
        [1, 500, 'answered 500'],
        [2, 500, 'answered 500'],
        [3, 500, 'answered 500'],
      ]);
      const listed = await ok<{ items: { id: number; lastDelivery: { attempt: number; status: number } | null }[] }>(
        ctx.call('GET', '/v1/webhooks', { token: a.ncb }),
      );
      expect(listed.items.find((w) => w.id === flakyId)?.lastDelivery).toMatchObject({ attempt: 3, status: 200 });
      for (const id of [okId, flakyId, downId]) await ok(ctx.call('DELETE', `/v1/webhooks/${id}`, { token: a.ncb }));
    } finally {
      await rx.close();
    }
  });

  it('never slows or fails a build: a receiver that does not answer times out in the background', async () => {
    const rx = await receiver(() => 'hang');
    try {
      const { id } = await ok<{ id: number }>(
        ctx.call('POST', '/v1/webhooks', { token: a.ncb, body: { url: `${rx.url}/hang` } }),
      );
      // A port that was free a moment ago: nothing listens there, the connection is refused.
      const closed = await receiver(() => 200);
      await closed.close();
      const refused = await ok<{ id: number }>(
        ctx.call('POST', '/v1/webhooks', { token: a.admin, body: { url: `${closed.url}/refused` } }),
      );
      await report(ctx, a, 'http://zz-hook-two.example/a');
      const started = Date.now();
      const result = await build(ctx, a);
      expect(result.changed).toBe(true);
      expect(Date.now() - started).toBeLessThan(900);
      await ctx.deps.notifier.pending();
      const attempts = await deliveries(id);
      expect(attempts.map((d) => [d.attempt, d.status, d.error])).toEqual([
        [1, null, 'no answer within 1 s'],
        [2, null, 'no answer within 1 s'],
        [3, null, 'no answer within 1 s'],
      ]);
      expect((await deliveries(refused.id)).map((d) => d.error)).toEqual([
        'ECONNREFUSED',
        'ECONNREFUSED',
        'ECONNREFUSED',
      ]);
      await ok(ctx.call('DELETE', `/v1/webhooks/${id}`, { token: a.ncb }));
      await ok(ctx.call('DELETE', `/v1/webhooks/${refused.id}`, { token: a.admin }));
    } finally {
      await rx.close();
    }
  });

  it('stops retrying a version once a newer one was sent, or once the webhook is deleted', async () => {
    const rx = await receiver(() => 500);
    try {
      const { id } = await ok<{ id: number }>(
        ctx.call('POST', '/v1/webhooks', { token: a.ncb, body: { url: `${rx.url}/x` } }),
      );
      await report(ctx, a, 'http://zz-hook-three.example/a');
      const first = await build(ctx, a);
      await report(ctx, a, 'http://zz-hook-four.example/a');
      const second = await build(ctx, a);
      await ok(ctx.call('DELETE', `/v1/webhooks/${id}`, { token: a.ncb }));
      await ctx.deps.notifier.pending();
      expect((await deliveries(id)).map((d) => [d.version, d.attempt])).toEqual([
        [first.version, 1],
        [second.version, 1],
      ]);
    } finally {
      await rx.close();
    }
  });

  it('refuses a URL whose host is a non-public address at registration, in any spelling', async () => {
    const strict = createApp({ ...ctx.deps, config: { ...ctx.deps.config, WOL_WEBHOOK_ALLOW: [] } });
    const register = (app: typeof strict, url: string) =>
      app.request('/v1/webhooks', {
        method: 'POST',
        headers: { authorization: `Bearer ${a.ncb}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
    for (const host of [
      '127.0.0.1',
      '0x7f000001',
      '2130706433',
      '[::ffff:127.0.0.1]',
      '[::1]',
      '10.0.0.5',
      '192.168.0.1',
      '100.64.0.1',
      '169.254.169.254',
      '[fd00:ec2::254]',
      '[fe80::1]',
      '0.0.0.0',
    ]) {
      const res = await register(strict, `http://${host}:8080/hook`);
      expect(res.status, host).toBe(422);
      expect(await res.json()).toMatchObject({ code: 'webhook_target_not_allowed', field: 'url' });
    }
    // WOL_WEBHOOK_ALLOW opens what it names and nothing else; never the metadata service.
    expect((await register(ctx.app, 'http://169.254.169.254/latest/meta-data/')).status).toBe(422);
    expect((await register(ctx.app, 'http://10.0.0.5/hook')).status).toBe(422);
    const allowed = await ok<{ id: number }>(register(ctx.app, 'http://0x7f000001:9/hook'));
    await ok(ctx.call('DELETE', `/v1/webhooks/${allowed.id}`, { token: a.ncb }));
    expect((await ok<{ items: unknown[] }>(ctx.call('GET', '/v1/webhooks', { token: a.admin }))).items).toEqual([]);
  });

  it('delivers to a name through the addresses it resolves to, once they are checked', async () => {
    const rx = await receiver(() => 204);
    try {
      const url = rx.url.replace('127.0.0.1', 'localhost');
      const { id } = await ok<{ id: number }>(ctx.call('POST', '/v1/webhooks', { token: a.ncb, body: { url } }));
      await report(ctx, a, 'http://zz-hook-five.example/a');
      const result = await build(ctx, a);
      await ctx.deps.notifier.pending();
      expect(await deliveries(id)).toEqual([{ version: result.version, attempt: 1, status: 204, error: null }]);
      expect(rx.received).toHaveLength(1);
      await ok(ctx.call('DELETE', `/v1/webhooks/${id}`, { token: a.ncb }));
    } finally {
      await rx.close();
    }
  });
});

describe(`webhooks to non-public targets on ${databaseName}`, () => {
  let strict: TestContext;
  let b: Actors;
  beforeAll(async () => {
    strict = await createTestContext(FAST_RETRIES);
    b = await createActors(strict);
  });
  afterAll(() => strict.close());

  it('refuses, once and without connecting, a name that resolves to loopback and a stored loopback URL', async () => {
    const rx = await receiver(() => 204);
    const closed = await receiver(() => 204);
    await closed.close();
    try {
      const register = async (url: string) =>
        (await ok<{ id: number }>(strict.call('POST', '/v1/webhooks', { token: b.ncb, body: { url } }))).id;
      // Names pass registration: where they lead is known only when a delivery resolves them.
      const listening = await register(`${rx.url.replace('127.0.0.1', 'localhost')}/named`);
      const nobody = await register(`${closed.url.replace('127.0.0.1', 'localhost')}/named`);
      // A literal loopback URL kept from before (registered under a wider WOL_WEBHOOK_ALLOW).
      const stored = (
        await insertWebhook(strict.deps.db, {
          organisationId: b.orgs.ncb,
          url: `${rx.url}/literal`,
          createdBy: null,
          createdAt: strict.now(),
        })
      ).id;
      await report(strict, b, 'http://zz-hook-refused.example/a');
      const result = await build(strict, b);
      await strict.deps.notifier.pending();

      expect(rx.received).toEqual([]);
      // A listening target and a closed port leave the same record: nothing the target did shows.
      for (const id of [listening, nobody, stored])
        expect(await deliveries(id, strict)).toEqual([
          { version: result.version, attempt: 1, status: null, error: REFUSED_DELIVERY },
        ]);
      const listed = await ok<{ items: { id: number; lastDelivery: { status: number | null; error: string } }[] }>(
        strict.call('GET', '/v1/webhooks', { token: b.ncb }),
      );
      expect(listed.items.find((w) => w.id === listening)?.lastDelivery).toMatchObject({
        status: null,
        error: 'refused: target address not allowed',
      });
    } finally {
      await rx.close();
    }
  });
});
