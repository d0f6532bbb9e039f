/**
 * The table of who may use which route (support/access.ts), walked with every role, no key,
 * an unknown key, an expired key and a revoked key. A route missing from the table fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { access, type Who } from './support/access.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
let tokens: Record<Who | 'unknown' | 'expired' | 'revoked', string>;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  const expiring = await ok<{ token: string }>(
    ctx.call('POST', '/v1/credentials', {
      token: a.admin,
      body: {
        organisationId: a.orgs.operator,
        role: 'analyst',
        label: 'short-lived',
        expiresAt: new Date(ctx.now().getTime() + 60_000).toISOString(),
      },
    }),
  );
  const revoked = await ok<{ id: number; token: string }>(
    ctx.call('POST', '/v1/credentials', {
      token: a.admin,
      body: { organisationId: a.orgs.operator, role: 'admin', label: 'revoked' },
    }),
  );
  await ok(ctx.call('DELETE', `/v1/credentials/${revoked.id}`, { token: a.admin }));
  // A published version, so the pull routes answer what they serve (before it they answer 503).
  await build(ctx, a);
  ctx.setNow(new Date(ctx.now().getTime() + 120_000));
  tokens = {
    reporter: a.reporterA,
    analyst: a.analyst,
    admin: a.admin,
    ncb: a.ncb,
    isp: a.isp,
    unknown: `wol_admin_${'u'.repeat(43)}`,
    expired: expiring.token,
    revoked: revoked.token,
  };
});
afterAll(() => ctx.close());

const samples: Record<string, string> = {
  id: '999999',
  listKey: 'zz-nothing.example',
  version: '1',
  file: 'latest.txt',
};
const concrete = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => samples[name] ?? 'x');

function routes(): string[] {
  const seen = new Set<string>();
  for (const route of ctx.app.routes) {
    if (route.method === 'ALL') continue;
    seen.add(`${route.method} ${route.path}`);
  }
  return [...seen].sort();
}

describe(`authorization on ${databaseName}`, () => {
  it('has an entry for every route the app serves', () => {
    const missing = routes().filter((r) => !(r in access));
    expect(missing, 'routes without an authorization entry').toEqual([]);
  });

  it('walks every route with every role and every kind of bad key', async () => {
    const failures: string[] = [];
    for (const route of routes()) {
      const allowed = access[route];
      if (!allowed) continue;
      const [method, path] = route.split(' ') as [string, string];
      const url = concrete(path);
      const send = (token?: string) =>
        ctx.call(method, url, { token, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
      const expectStatus = async (
        who: string,
        token: string | undefined,
        check: (s: number) => boolean,
        want: string,
      ) => {
        const res = await send(token);
        if (!check(res.status)) failures.push(`${route} as ${who}: ${res.status}, wanted ${want}`);
        // Whatever a credential is answered is confidential: never kept by a shared or browser cache.
        if (token !== undefined && !/^private\b/.test(res.headers.get('cache-control') ?? ''))
          failures.push(`${route} as ${who}: Cache-Control ${res.headers.get('cache-control')}, wanted private`);
        if (res.status === 401 || res.status === 403) {
          // TAXII clients read TAXII error messages (test/taxii.test.ts checks their fields).
          const type = path.startsWith('/taxii2/') ? 'application/taxii+json;version=2.1' : 'application/problem+json';
          if (res.headers.get('content-type') !== type) failures.push(`${route} as ${who}: not ${type}`);
        }
      };
      if (allowed === 'public') {
        await expectStatus('nobody', undefined, (s) => s !== 401 && s !== 403 && s < 500, 'open');
        continue;
      }
      await expectStatus('nobody', undefined, (s) => s === 401, '401');
      for (const bad of ['unknown', 'expired', 'revoked'] as const)
        await expectStatus(bad, tokens[bad], (s) => s === 401, '401');
      for (const role of ['reporter', 'analyst', 'admin', 'ncb', 'isp'] as const) {
        if (allowed.includes(role))
          await expectStatus(
            role,
            tokens[role],
            (s) => s !== 401 && s !== 403 && s < 500,
            'allowed (not 401, 403 or 5xx)',
          );
        else await expectStatus(role, tokens[role], (s) => s === 403, '403');
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets an NCB issue isp keys only, only for ISPs of its own country', async () => {
    const foreignIsp = await ok<{ id: number }>(
      ctx.call('POST', '/v1/organisations', {
        token: a.admin,
        body: { name: 'ZZ Foreign ISP', kind: 'isp', country: 'DE' },
      }),
    );
    const issue = (organisationId: number, role: string) =>
      ctx.call('POST', '/v1/credentials', { token: a.ncb, body: { organisationId, role, label: 'x' } });
    expect((await issue(a.orgs.isp, 'isp')).status).toBe(201);
    expect((await issue(foreignIsp.id, 'isp')).status).toBe(403);
    expect((await issue(a.orgs.hotlineA, 'isp')).status).toBe(403);
    expect((await issue(a.orgs.isp, 'admin')).status).toBe(403);
  });

  it('lets an NCB revoke only what it issued, and a revoked key fails at once', async () => {
    const issued = await ok<{ id: number; token: string }>(
      ctx.call('POST', '/v1/credentials', {
        token: a.ncb,
        body: { organisationId: a.orgs.isp, role: 'isp', label: 'to revoke' },
      }),
    );
    const list = await ok<{ items: { id: number; createdBy: number }[] }>(
      ctx.call('GET', '/v1/credentials', { token: a.ncb }),
    );
    expect(list.items.map((c) => c.id)).toContain(issued.id);
    expect(JSON.stringify(list)).not.toMatch(/token/i);
    const adminsKey = (
      await ok<{ items: { id: number }[] }>(ctx.call('GET', '/v1/credentials', { token: a.admin }))
    ).items.find((c) => !list.items.some((m) => m.id === c.id))!;
    expect((await ctx.call('DELETE', `/v1/credentials/${adminsKey.id}`, { token: a.ncb })).status).toBe(404);
    expect((await ctx.call('GET', '/v1/organisations', { token: issued.token })).status).toBe(403);
    await ok(ctx.call('DELETE', `/v1/credentials/${issued.id}`, { token: a.ncb }));
    expect((await ctx.call('GET', '/v1/organisations', { token: issued.token })).status).toBe(401);
  });
});
