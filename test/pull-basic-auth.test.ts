/**
 * HTTP Basic on the pull routes: `Basic base64(any-user:KEY)` is the same credential as
 * `Bearer KEY`. Every pull route (each artifact of each format, by version and latest) is
 * asked both ways and must answer the same status, body and headers; bad keys sent as Basic
 * get the 401 with the Basic challenge, and the pulls are recorded against the same key.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formats } from '../src/core/formats.ts';
import { pulls } from '../src/db/schema.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
let revoked: string;
let expired: string;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  await report(ctx, a, 'http://img.zz-basic-one.com/a');
  await report(ctx, a, 'http://195.127.0.12/b');
  await build(ctx, a);
  const issue = (label: string, expiresAt?: string) =>
    ok<{ id: number; token: string }>(
      ctx.call('POST', '/v1/credentials', {
        token: a.ncb,
        body: { organisationId: a.orgs.isp, role: 'isp', label, ...(expiresAt ? { expiresAt } : {}) },
      }),
    );
  const gone = await issue('revoked');
  await ok(ctx.call('DELETE', `/v1/credentials/${gone.id}`, { token: a.ncb }));
  revoked = gone.token;
  expired = (await issue('expiring', new Date(ctx.now().getTime() + 60_000).toISOString())).token;
  ctx.setNow(new Date(ctx.now().getTime() + 120_000));
});
afterAll(() => ctx.close());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const get = (url: string, authorization?: string, headers: Record<string, string> = {}) =>
  ctx.app.request(url, { headers: { ...headers, ...(authorization ? { authorization } : {}) } });

/** Every pull URL, one per route and each artifact of each format. */
function pullUrls(): string[] {
  const paths = ctx.app.routes.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/list/')).map((r) => r.path);
  const urls = new Set<string>();
  for (const path of paths) {
    if (path === '/v1/list/:file')
      for (const format of formats) urls.add(`/v1/list/latest.${format}`).add(`/v1/list/1.${format}`);
    else if (path === '/v1/list/changes') urls.add('/v1/list/changes?since=0').add('/v1/list/changes?since=1');
    else urls.add(path.replace(':version', '1'));
  }
  return [...urls, '/.well-known/jwks.json'];
}

/** What must be the same whichever scheme carried the key (request ids and dates differ by nature). */
async function answer(res: Response) {
  const headers = Object.fromEntries(
    [...res.headers].filter(([name]) => !['x-request-id', 'date'].includes(name)).sort(([x], [y]) => (x < y ? -1 : 1)),
  );
  const bytes = Buffer.from(await res.arrayBuffer());
  // A problem's instance is its request's id, which differs by nature too.
  if (headers['content-type'] === 'application/problem+json') {
    const { instance: _, ...problem } = JSON.parse(bytes.toString('utf8'));
    return { status: res.status, headers, body: problem };
  }
  return { status: res.status, headers, body: bytes.toString('base64') };
}

describe(`HTTP Basic on the pull routes on ${databaseName}`, () => {
  it('knows every pull route (the walk below covers each)', () => {
    expect(pullUrls()).toContain('/v1/list/manifest');
    expect(pullUrls()).toContain('/v1/list/1/manifest');
    expect(pullUrls()).toContain('/v1/list/timestamp');
    expect(pullUrls().filter((u) => u.startsWith('/v1/list/latest.'))).toHaveLength(formats.length);
  });

  it('answers Basic with the key as the password exactly as Bearer, whatever the user name', async () => {
    const differences: string[] = [];
    for (const url of pullUrls()) {
      // A national version's upstream manifest and entries are for the NCB, not its ISPs; this
      // instance follows no upstream, so they are 404 to it.
      const upstream = url.includes('/upstream-');
      const key = upstream ? a.ncb : a.isp;
      const bearer = await answer(await get(url, `Bearer ${key}`));
      if (bearer.status !== (upstream ? 404 : 200)) differences.push(`${url}: Bearer answered ${bearer.status}`);
      for (const user of ['', 'pan-os', 'fortigate feed']) {
        const other = await answer(await get(url, basic(user, key)));
        if (JSON.stringify(other) !== JSON.stringify(bearer))
          differences.push(`${url} as Basic user ${JSON.stringify(user)}: ${JSON.stringify(other).slice(0, 300)}`);
      }
      const conditions: Record<string, string>[] = [
        { 'accept-encoding': 'gzip' },
        { 'if-none-match': bearer.headers.etag ?? '"x"' },
      ];
      for (const headers of conditions) {
        const viaBearer = await answer(await get(url, `Bearer ${a.ncb}`, headers));
        const viaBasic = await answer(await get(url, basic('ncb', a.ncb), headers));
        if (JSON.stringify(viaBasic) !== JSON.stringify(viaBearer))
          differences.push(`${url} with ${JSON.stringify(headers)}: ${viaBasic.status} vs ${viaBearer.status}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('answers a bad key sent as Basic with 401 and the Basic challenge on every pull route', async () => {
    const failures: string[] = [];
    const bad: Record<string, string> = {
      unknown: basic('isp', `wol_isp_${'u'.repeat(43)}`),
      revoked: basic('isp', revoked),
      expired: basic('isp', expired),
      'the key as the user name': basic(a.isp, ''),
      'no colon': `Basic ${Buffer.from(a.isp).toString('base64')}`,
      'not base64': 'Basic %%%',
    };
    for (const url of pullUrls().filter((u) => u.startsWith('/v1/list/'))) {
      for (const [label, authorization] of Object.entries(bad)) {
        const res = await get(url, authorization);
        const body = (await res.json()) as { code?: string };
        if (res.status !== 401 || body.code !== 'unauthorized') failures.push(`${url} ${label}: ${res.status}`);
        if (!res.headers.get('www-authenticate')?.startsWith('Basic realm="worstof"'))
          failures.push(`${url} ${label}: WWW-Authenticate ${res.headers.get('www-authenticate')}`);
        if (res.headers.get('content-type') !== 'application/problem+json') failures.push(`${url} ${label}: type`);
      }
      // Without credentials the challenge offers Basic first, for clients that wait to be asked.
      const none = await get(url);
      if (
        none.status !== 401 ||
        none.headers.get('www-authenticate') !== 'Basic realm="worstof", Bearer realm="worstof"'
      )
        failures.push(`${url} no key: ${none.status} ${none.headers.get('www-authenticate')}`);
      const wrongBearer = await get(url, `Bearer wol_isp_${'u'.repeat(43)}`);
      if (!wrongBearer.headers.get('www-authenticate')?.includes('Basic realm="worstof"'))
        failures.push(`${url} wrong Bearer: ${wrongBearer.headers.get('www-authenticate')}`);
    }
    expect(failures).toEqual([]);
  });

  it('keeps the roles: a valid key of another role sent as Basic is 403, as with Bearer', async () => {
    for (const token of [a.analyst, a.reporterA, a.admin]) {
      const viaBasic = await get('/v1/list/latest.txt', basic('x', token));
      const viaBearer = await get('/v1/list/latest.txt', `Bearer ${token}`);
      expect(viaBasic.status).toBe(403);
      expect(await answer(viaBasic)).toMatchObject({ status: viaBearer.status });
    }
  });

  it('takes Basic on the pull routes only', async () => {
    const res = await get('/v1/reports', basic('x', a.reporterA));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="worstof"');
    expect((await get('/v1/reports', `Bearer ${a.reporterA}`)).status).toBe(200);
  });

  it('records a Basic pull against the key, as a Bearer one', async () => {
    const key = await ok<{ id: number; token: string }>(
      ctx.call('POST', '/v1/credentials', {
        token: a.ncb,
        body: { organisationId: a.orgs.isp, role: 'isp', label: 'basic only' },
      }),
    );
    expect((await get('/v1/list/latest.txt', basic('pan-os', key.token))).status).toBe(200);
    expect((await get('/v1/list/manifest', basic('pan-os', key.token))).status).toBe(200);
    await ctx.deps.pullCache.flush();
    const rows = await ctx.deps.db.select().from(pulls).where(eq(pulls.credentialId, key.id));
    expect(rows.map((r) => [r.version, r.format, r.status]).sort()).toEqual([
      [1, 'manifest', 200],
      [1, 'txt', 200],
    ]);
    const listed = await ok<{ items: { id: number; lastUsedAt: string | null }[] }>(
      ctx.call('GET', '/v1/credentials', { token: a.ncb }),
    );
    expect(listed.items.find((c) => c.id === key.id)?.lastUsedAt).not.toBeNull();
  });
});
