/**
 * The console's sign-in, sessions, CSRF and roles through app.request(), and each page's
 * answer on a small list. The browser-driven walk is console-e2e.test.ts; timings on a
 * large list are console-perf.test.ts.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSession } from '../src/http/console/session.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { ConsoleClient } from './support/console.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';

const SECRET = 's'.repeat(48);
let ctx: TestContext;
let a: Actors;

beforeAll(async () => {
  ctx = await createTestContext({ WOL_SESSION_SECRET: SECRET, WOL_SESSION_TTL: '1h' });
  a = await createActors(ctx);
  await report(ctx, a, 'http://listed-one.example/a');
  await report(ctx, a, 'http://listed-two.example/b');
  await report(ctx, a, 'http://candidate.example/c', { from: [a.reporterA] });
  await build(ctx, a);
});
afterAll(() => ctx.close());

const signedIn = async (key: string) => {
  const client = new ConsoleClient(ctx);
  const res = await client.signIn(key);
  expect(res.status, res.html).toBe(303);
  return client;
};

describe(`console sign-in and sessions on ${databaseName}`, () => {
  it('sends a visitor without a session to the sign-in page, keeping where they were going', async () => {
    const client = new ConsoleClient(ctx);
    for (const path of ['/console', '/console/domains?q=x', '/console/ncb', '/console/versions/1']) {
      const res = await client.get(path);
      expect(res.status, path).toBe(303);
      expect(res.location).toBe(`/console/sign-in?next=${encodeURIComponent(path)}`);
    }
    const post = await client.post('/console/builds');
    expect(post.status).toBe(303);
    expect(post.location).toBe('/console/sign-in');
  });

  it('serves the sign-in form without script, uncached, under a strict CSP', async () => {
    const res = await new ConsoleClient(ctx).get('/console/sign-in');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(res.html).not.toContain('<script');
    expect(res.html).toMatch(/<label for="key">/);
    expect(res.html).toMatch(/<input id="key" name="key" type="password" required/);
  });

  it('exchanges an analyst key for an HttpOnly, SameSite=Strict cookie holding only the credential id', async () => {
    const client = new ConsoleClient(ctx);
    const res = await client.signIn(a.analyst);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('wol_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/console/);
    expect(cookie).not.toMatch(/Secure/);
    const claims = decodeJwt(client.cookies.get('wol_session')!);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
    expect(claims.exp! - claims.iat!).toBe(3600);
    const dashboard = await client.get('/console');
    expect(dashboard.status).toBe(200);
    expect(dashboard.html).toContain('<h1>Dashboard</h1>');
    expect(dashboard.html).not.toContain(a.analyst);
  });

  it('marks the cookies Secure when the request came over https', async () => {
    const client = new ConsoleClient(ctx, { origin: 'https://console.example' });
    const res = await client.signIn(a.analyst);
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Secure-wol_session='))!;
    expect(cookie).toMatch(/; Secure/);
    expect((await client.get('/console')).status).toBe(200);
  });

  it('marks the cookies Secure when WOL_PUBLIC_URL is https, even behind a plain-http proxy hop', async () => {
    const behindProxy = await createTestContext({
      WOL_PUBLIC_URL: 'https://console.example',
      WOL_SESSION_SECRET: SECRET,
    });
    try {
      const actors = await createActors(behindProxy);
      const client = new ConsoleClient(behindProxy);
      const res = await client.signIn(actors.analyst);
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie().find((c) => c.startsWith('__Secure-wol_session='))).toMatch(/; Secure/);
      // The browser's Origin is the public one, not the address the proxy forwarded to.
      await client.get('/console');
      expect((await client.post('/console/builds', {}, { origin: 'https://console.example' })).status).toBe(303);
    } finally {
      await behindProxy.close();
    }
  });

  it('answers "Invalid key." alike for unknown, malformed, revoked and empty keys', async () => {
    const revoked = await ok<{ id: number; token: string }>(
      ctx.call('POST', '/v1/credentials', {
        token: a.admin,
        body: { organisationId: a.orgs.operator, role: 'analyst', label: 'gone' },
      }),
    );
    await ok(ctx.call('DELETE', `/v1/credentials/${revoked.id}`, { token: a.admin }));
    for (const key of [`wol_analyst_${'x'.repeat(43)}`, 'not a key', revoked.token, '']) {
      const client = new ConsoleClient(ctx);
      const res = await client.signIn(key);
      expect(res.status, key).toBe(400);
      expect(res.html).toContain('Invalid key.');
      expect(client.cookies.has('wol_session')).toBe(false);
    }
  });

  it('refuses a sign-in form that did not come from the sign-in page', async () => {
    const client = new ConsoleClient(ctx);
    const res = await client.request('POST', '/console/sign-in', { form: { key: a.analyst, _csrf: 'forged' } });
    expect(res.status).toBe(400);
    expect(res.html).toContain('expired or was not sent by this site');
    expect(client.cookies.has('wol_session')).toBe(false);
  });

  it('limits sign-in attempts per client address', async () => {
    const client = new ConsoleClient(ctx);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await client.signIn(`wol_admin_${'g'.repeat(40)}${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    const limited = await client.signIn(a.analyst);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(client.cookies.has('wol_session')).toBe(false);
    // Another address is not affected.
    expect((await new ConsoleClient(ctx).signIn(a.analyst)).status).toBe(303);
  });

  it('gives reporters and ISPs a 403 page and no session', async () => {
    for (const key of [a.reporterA, a.isp]) {
      const client = new ConsoleClient(ctx);
      const res = await client.signIn(key);
      expect(res.status).toBe(403);
      expect(res.html).toContain('The console has no pages for the');
      expect(client.cookies.has('wol_session')).toBe(false);
    }
  });

  it('answers a 403 page to a reporter holding a session all the same', async () => {
    const reporter = await ok<{ items: { id: number; role: string }[] }>(
      ctx.call('GET', '/v1/credentials', { token: a.admin }),
    );
    const id = reporter.items.find((c) => c.role === 'reporter')!.id;
    const client = new ConsoleClient(ctx);
    client.cookies.set('wol_session', await issueSession(new TextEncoder().encode(SECRET), id, ctx.now(), 600));
    const res = await client.get('/console');
    expect(res.status).toBe(403);
    expect(res.html).toContain('<h1>Forbidden</h1>');
  });

  it('keeps NCBs to the NCB page and analysts off it', async () => {
    const ncb = await signedIn(a.ncb);
    expect((await ncb.get('/console')).location).toBe('/console/ncb');
    expect((await ncb.get('/console/ncb')).status).toBe(200);
    for (const path of [
      '/console/domains',
      '/console/builds',
      '/console/delisting',
      '/console/domains/listed-one.example',
    ])
      expect((await ncb.get(path)).status, path).toBe(403);
    const analyst = await signedIn(a.analyst);
    expect((await analyst.get('/console/ncb')).status).toBe(403);
  });

  it('signs out at the next request once the key is revoked', async () => {
    const issued = await ok<{ id: number; token: string }>(
      ctx.call('POST', '/v1/credentials', {
        token: a.admin,
        body: { organisationId: a.orgs.operator, role: 'analyst', label: 'soon revoked' },
      }),
    );
    const client = await signedIn(issued.token);
    expect((await client.get('/console/domains')).status).toBe(200);
    await ok(ctx.call('DELETE', `/v1/credentials/${issued.id}`, { token: a.admin }));
    const res = await client.get('/console/domains');
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/console\/sign-in\?ended=1/);
    expect(client.cookies.has('wol_session')).toBe(false);
    expect((await client.get(res.location!)).html).toContain('Your session has ended');
  });

  it('ends a session at its expiry, and refuses a token signed with another secret', async () => {
    const client = await signedIn(a.analyst);
    const start = ctx.now();
    ctx.setNow(new Date(start.getTime() + 3601_000));
    try {
      expect((await client.get('/console')).location).toMatch(/^\/console\/sign-in\?ended=1/);
    } finally {
      ctx.setNow(start);
    }
    const forged = new ConsoleClient(ctx);
    forged.cookies.set('wol_session', await issueSession(new TextEncoder().encode('f'.repeat(48)), 1, ctx.now(), 600));
    expect((await forged.get('/console')).location).toMatch(/^\/console\/sign-in\?ended=1/);
  });

  it('signs out', async () => {
    const client = await signedIn(a.analyst);
    await client.get('/console');
    const res = await client.post('/console/sign-out');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/sign-in?signed-out=1');
    expect(client.cookies.has('wol_session')).toBe(false);
  });

  it('goes on to a console path after sign-in, and never off the console', async () => {
    for (const [next, where] of [
      ['/console/builds', '/console/builds'],
      ['//evil.example/console', '/console'],
      ['https://evil.example/', '/console'],
      ['/console\\@evil', '/console'],
    ] as const) {
      const client = new ConsoleClient(ctx);
      const form = await client.get(`/console/sign-in?next=${encodeURIComponent(next)}`);
      // What the form carries on (a hidden field), or, for a hostile link, what an attacker could post.
      const carried = /name="next" value="([^"]*)"/.exec(form.html)?.[1];
      expect(carried === undefined, next).toBe(where !== next);
      expect((await client.post('/console/sign-in', { key: a.analyst, next })).location, next).toBe(where);
    }
  });
});

describe(`console CSRF on ${databaseName}`, () => {
  it('refuses a form without the session’s token, or with another session’s', async () => {
    const client = await signedIn(a.analyst);
    await client.get('/console/domains/listed-one.example');
    const other = await signedIn(a.analyst);
    await other.get('/console');
    for (const token of ['', 'nonsense', other.csrf!]) {
      const res = await client.request('POST', '/console/domains/listed-one.example/exclude', {
        form: { _csrf: token, reason: 'should not happen' },
      });
      expect(res.status).toBe(403);
      expect(res.html).toContain('could not be verified');
    }
    const page = await client.get('/console/domains/listed-one.example');
    expect(page.html).not.toContain('should not happen');
  });

  it('refuses a form from another origin even with the right token', async () => {
    const client = await signedIn(a.analyst);
    await client.get('/console');
    const res = await client.post('/console/builds', {}, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const same = await client.post('/console/builds', {}, { origin: 'http://localhost' });
    expect(same.status).toBe(303);
  });
});

describe(`domain browsing on ${databaseName}`, () => {
  it('pages through every state past a key with many reports', async () => {
    await report(ctx, a, 'http://aaa-many.example/', { from: Array(20).fill(a.reporterA) });
    await report(ctx, a, 'http://aab-next.example/', { from: [a.reporterA] });
    await report(ctx, a, 'http://aac-last.example/', { from: [a.reporterA, a.reporterA] });
    const page = (cursor?: string) =>
      ok<{ items: { listKey: string }[]; nextCursor: string | null }>(
        ctx.call('GET', `/v1/domains?q=aa&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: a.analyst }),
      );
    const first = await page();
    expect(first.items.map((d) => d.listKey)).toEqual(['aaa-many.example', 'aab-next.example']);
    expect(first.nextCursor).toBe('aab-next.example');
    const second = await page(first.nextCursor!);
    expect(second.items.map((d) => d.listKey)).toEqual(['aac-last.example']);
    expect(second.nextCursor).toBeNull();
  });
});

describe(`console pages on ${databaseName}`, () => {
  it('shows each analyst page', async () => {
    const client = await signedIn(a.analyst);
    const next = new Date('2031-01-02T03:00:00Z');
    ctx.deps.nextScheduledBuild = () => next;
    try {
      expect((await client.get('/console')).html).toContain('2031-01-02 03:00 UTC');
    } finally {
      ctx.deps.nextScheduledBuild = undefined;
    }
    for (const [path, text] of [
      ['/console', 'List size and changes'],
      ['/console/domains', 'listed-one.example'],
      ['/console/domains?state=candidate', 'candidate.example'],
      ['/console/domains?q=listed-t', 'listed-two.example'],
      ['/console/domains/candidate.example', 'confirmingCountries'],
      ['/console/confirmation-queue', 'candidate.example'],
      ['/console/confirmation-queue', 'one more country'],
      ['/console/builds', 'Recent runs'],
      ['/console/versions/1', 'Signature key id'],
      ['/console/delisting', 'Delisting requests'],
    ] as const) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(res.html, path).toContain(text);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    expect((await client.get('/console/domains?state=candidate')).html).not.toContain('listed-one.example');
    const unknown = await client.get('/console/domains/nothing-known.example');
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('nothing is known about nothing-known.example');
    expect(unknown.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect((await client.get('/console/versions/999')).status).toBe(404);
    expect((await client.get('/console/no-such-page')).status).toBe(404);
  });

  it('excludes a domain with a reason, and the next build removes it', async () => {
    const client = await signedIn(a.analyst);
    await client.get('/console/domains/listed-two.example');
    const short = await client.post('/console/domains/listed-two.example/exclude', { reason: 'x' });
    expect(short.status).toBe(422);
    const res = await client.post('/console/domains/listed-two.example/exclude', {
      reason: 'shared host, <b>not</b> the abuser',
    });
    expect(res.status).toBe(303);
    const page = await client.get(res.location!);
    expect(page.html).toContain('The domain is excluded');
    expect(page.html).toContain('shared host, &lt;b&gt;not&lt;/b&gt; the abuser');
    const again = await client.post('/console/domains/listed-two.example/exclude', { reason: 'twice' });
    expect(again.status).toBe(409);
    const built = await client.post('/console/builds');
    expect(built.location).toMatch(/^\/console\/versions\/2\?done=built$/);
    const version = await client.get(built.location!);
    expect(version.html).toMatch(/Removed in version 2[\s\S]*listed-two\.example/);
    const restored = await client.post('/console/domains/listed-two.example/restore', { reason: 'appeal upheld' });
    expect(restored.status).toBe(303);
  });

  it('decides a delisting request and escapes what the requester wrote', async () => {
    await ok(
      ctx.call('POST', '/v1/delisting-requests', {
        body: {
          domain: 'listed-one.example',
          contact: 'owner@listed-one.example',
          statement: '<script>alert(1)</script> please review',
        },
      }),
      202,
    );
    const client = await signedIn(a.analyst);
    const queue = await client.get('/console/delisting');
    expect(queue.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(queue.html).not.toContain('<script>');
    const id = /action="\/console\/delisting\/([0-9a-f-]+)\/decision"/.exec(queue.html)![1]!;
    const res = await client.post(`/console/delisting/${id}/decision`, {
      decision: 'reject',
      reason: 'material confirmed online',
    });
    expect(res.location).toBe('/console/delisting?done=rejected');
    expect((await client.get('/console/delisting?state=rejected')).html).toContain('material confirmed online');
  });

  it('lets an NCB issue an ISP key, shown once, and revoke it', async () => {
    const client = await signedIn(a.ncb);
    const page = await client.get('/console/ncb');
    expect(page.html).toContain('ZZ ISP');
    const orgId = /<option value="(\d+)">ZZ ISP<\/option>/.exec(page.html)![1]!;
    const issued = await client.post('/console/ncb/credentials', {
      organisationId: orgId,
      label: 'resolver 7',
      expiresOn: '',
    });
    expect(issued.status).toBe(201);
    const token = /(wol_isp_[A-Za-z0-9_-]+)/.exec(issued.html)![1]!;
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect((await ctx.call('GET', '/v1/list/manifest', { token })).status).toBe(200);
    const after = await client.get('/console/ncb');
    expect(after.html).not.toContain(token);
    const id = /resolver 7[\s\S]*?action="\/console\/ncb\/credentials\/(\d+)\/revoke"/.exec(after.html)![1]!;
    expect((await client.post(`/console/ncb/credentials/${id}/revoke`)).location).toBe('/console/ncb?done=revoked');
    expect((await ctx.call('GET', '/v1/list/manifest', { token })).status).toBe(401);
  });
});
