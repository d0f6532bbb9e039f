/**
 * The console's sign-in, sessions, CSRF and roles through app.request(), and each page's
 * answer on a small list. The browser-driven walk is console-e2e.test.ts; timings on a
 * large list are console-perf.test.ts.
 */
import { sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/database.ts';
import { issueSession } from '../src/http/console/session.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { ConsoleClient } from './support/console.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listHostnames, report } from './support/evidence.ts';

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
    const domain = await client.domainPath('listed-one.example');
    await client.get(domain);
    const other = await signedIn(a.analyst);
    await other.get('/console');
    for (const token of ['', 'nonsense', other.csrf!]) {
      const res = await client.request('POST', `${domain}/exclude`, {
        form: { _csrf: token, reason: 'should not happen' },
      });
      expect(res.status).toBe(403);
      expect(res.html).toContain('could not be verified');
    }
    const page = await client.get(domain);
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

describe(`domain export on ${databaseName}`, () => {
  const csvOf = (items: { listKey: string; state: string; listedSince: number | null }[]) =>
    ['list_key,state,listed_since', ...items.map((d) => `${d.listKey},${d.state},${d.listedSince ?? ''}`), ''].join(
      '\r\n',
    );
  const api = (query: string) =>
    ok<{ items: { listKey: string; state: string; listedSince: number | null }[] }>(
      ctx.call('GET', `/v1/domains?limit=1000${query}`, { token: a.analyst }),
    );

  it("downloads the search's every row as CSV, the search sealed in its link", async () => {
    const client = await signedIn(a.analyst);
    const results = await client.search('listed-', 'listed');
    const href = /<a href="(\/console\/domains\.csv[^"]*)" download="">/.exec(results.html)?.[1];
    expect(href).toMatch(/^\/console\/domains\.csv\?s=[\w-]+$/);
    const res = await client.get(href!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="domains.csv"');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const listed = await api('&state=listed&q=listed-');
    expect(listed.items.map((d) => d.listKey)).toEqual(['listed-one.example', 'listed-two.example']);
    expect(res.html).toBe(csvOf(listed.items));

    // No search: every known key in every state, as the API lists them.
    const all = await client.get(
      /<a href="(\/console\/domains\.csv)" download="">/.exec((await client.get('/console/domains')).html)![1]!,
    );
    expect(all.html).toBe(csvOf((await api('')).items));
    expect(all.html).toContain('\r\ncandidate.example,candidate,\r\n');
  });

  it('is for analysts and admins only', async () => {
    const ncb = await signedIn(a.ncb);
    expect((await ncb.get('/console/domains.csv')).status).toBe(403);
    const credentials = await ok<{ items: { id: number; role: string }[] }>(
      ctx.call('GET', '/v1/credentials', { token: a.admin }),
    );
    const reporter = new ConsoleClient(ctx);
    const id = credentials.items.find((c) => c.role === 'reporter')!.id;
    reporter.cookies.set('wol_session', await issueSession(new TextEncoder().encode(SECRET), id, ctx.now(), 600));
    const refused = await reporter.get('/console/domains.csv');
    expect(refused.status).toBe(403);
    expect(refused.html).not.toContain('listed-one.example');
    const visitor = await new ConsoleClient(ctx).get('/console/domains.csv');
    expect(visitor.status).toBe(303);
    expect((await (await signedIn(a.admin)).get('/console/domains.csv')).status).toBe(200);
  });
});

describe(`the domains table on ${databaseName}`, () => {
  type Row = {
    listKey: string;
    state: string;
    listedSince: number | null;
    confirmingOrganisations: number;
    confirmingCountries: number;
    lastSeen: string | null;
    failing: string[];
  };
  const api = (query: string) =>
    ok<{ total: number; items: Row[]; nextCursor: string | null }>(
      ctx.call('GET', `/v1/domains?q=tbl-${query}`, { token: a.analyst }),
    );
  const keys = async (query: string) => (await api(query)).items.map((d) => d.listKey);
  const daysAgo = (n: number) => new Date(ctx.now().getTime() - n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    await report(ctx, a, 'http://tbl-a.example/', { daysAgo: 10 });
    await report(ctx, a, 'http://tbl-b.example/', { from: [a.reporterA], daysAgo: 1 });
    await report(ctx, a, 'http://tbl-c.example/', { daysAgo: 5 });
    await build(ctx, a);
  });

  it('gives each row its state, confirmations, last seen and the criteria it fails, and counts the search', async () => {
    const page = await api('');
    expect(page.total).toBe(3);
    const [listedRow, candidate] = page.items;
    expect(listedRow).toMatchObject({ listKey: 'tbl-a.example', state: 'listed', failing: [] });
    expect(listedRow).toMatchObject({ confirmingOrganisations: 2, confirmingCountries: 2 });
    expect(listedRow!.listedSince).toEqual(expect.any(Number));
    expect(listedRow!.lastSeen!.slice(0, 10)).toBe(daysAgo(10));
    expect(candidate).toEqual({
      listKey: 'tbl-b.example',
      state: 'candidate',
      listedSince: null,
      confirmingOrganisations: 1,
      confirmingCountries: 1,
      lastSeen: expect.stringMatching(new RegExp(`^${daysAgo(1)}T`)),
      failing: ['confirmingOrganisations', 'confirmingCountries'],
    });
    expect((await api('&state=listed')).total).toBe(2);
    expect((await api('&state=candidate')).total).toBe(1);

    const client = await signedIn(a.analyst);
    const results = await client.search('tbl-');
    expect(results.html).toContain('<caption>Domains 1–3 of 3, starting with tbl-, by name</caption>');
    expect(results.html).toMatch(
      /<code>tbl-b\.example<\/code><\/a><\/td><td><span class="badge candidate">candidate<\/span><\/td><td><span class="muted">—<\/span><\/td><td>1 organisation, 1 country<\/td><td><time datetime="[^"]+">[^<]+<\/time><\/td><td><code>confirmingOrganisations<\/code>, <code>confirmingCountries<\/code><\/td>/,
    );
    expect(results.html).toMatch(
      /<code>tbl-a\.example<\/code>.*?2 organisations, 2 countries.*?<span class="muted">nothing<\/span>/,
    );
    expect((await client.search('tbl-', 'listed')).html).toContain('Domains 1–2 of 2, listed, starting with tbl-');
  });

  it('sorts by name, last seen or confirmations, either way, through sealed links', async () => {
    expect(await keys('&order=desc')).toEqual(['tbl-c.example', 'tbl-b.example', 'tbl-a.example']);
    expect(await keys('&sort=lastSeen&order=desc')).toEqual(['tbl-b.example', 'tbl-c.example', 'tbl-a.example']);
    expect(await keys('&sort=lastSeen')).toEqual(['tbl-a.example', 'tbl-c.example', 'tbl-b.example']);
    expect(await keys('&sort=confirmations&order=desc')).toEqual(['tbl-c.example', 'tbl-a.example', 'tbl-b.example']);
    expect(await keys('&sort=confirmations')).toEqual(['tbl-b.example', 'tbl-a.example', 'tbl-c.example']);
    expect(await keys('&sort=lastSeen&state=listed')).toEqual(['tbl-a.example', 'tbl-c.example']);
    expect(await keys('&sort=confirmations&state=candidate')).toEqual(['tbl-b.example']);

    const client = await signedIn(a.analyst);
    const header = (html: string, label: string) =>
      new RegExp(`<th scope="col"( aria-sort="(\\w+)")?><a href="([^"]+)">${label}`).exec(html)!;
    const byName = await client.search('tbl-');
    expect(header(byName.html, 'Domain')[2]).toBe('ascending');
    const lastSeen = header(byName.html, 'Last seen');
    expect(lastSeen[2]).toBeUndefined();
    expect(lastSeen[3]).toMatch(/^\/console\/domains\?s=[\w-]+$/);
    const newest = await client.get(lastSeen[3]!.replaceAll('&amp;', '&'));
    expect(newest.html).toContain('Domains 1–3 of 3, starting with tbl-, by last seen, newest first');
    expect(header(newest.html, 'Last seen')[2]).toBe('descending');
    const order = (html: string) => [...html.matchAll(/<code>(tbl-\w\.example)<\/code>/g)].map((m) => m[1]);
    expect(order(newest.html)).toEqual(['tbl-b.example', 'tbl-c.example', 'tbl-a.example']);
    const oldest = await client.get(header(newest.html, 'Last seen')[3]!);
    expect(order(oldest.html)).toEqual(['tbl-a.example', 'tbl-c.example', 'tbl-b.example']);
    const most = await client.get(header(oldest.html, 'Confirmations')[3]!);
    expect(most.html).toContain('by confirmations, most first');
    expect(order(most.html)).toEqual(['tbl-c.example', 'tbl-a.example', 'tbl-b.example']);
  });

  it('pages the console across a sort, counting on from the first page', async () => {
    // 55 candidates, each confirmed by one organisation a day apart: more than the page's 50.
    for (let i = 0; i < 55; i++)
      await report(ctx, a, `http://tblp-${String(i).padStart(2, '0')}.example/`, { from: [a.reporterA], daysAgo: i });
    await build(ctx, a);
    const client = await signedIn(a.analyst);
    const byName = await client.search('tblp-');
    const header = (html: string) => /<a href="([^"]+)">Last seen/.exec(html)![1]!;
    const newest = await client.get(header(byName.html));
    expect(newest.html).toContain('Domains 1–50 of 55, starting with tblp-, by last seen, newest first');
    const next = /href="([^"]+)" rel="next">Next page/.exec(newest.html)![1]!.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/console\/domains\?s=[\w-]+$/);
    const second = await client.get(next);
    expect(second.html).toContain('Domains 51–55 of 55, starting with tblp-, by last seen, newest first');
    const keys = [...second.html.matchAll(/<code>(tblp-\d+\.example)<\/code>/g)].map((m) => m[1]);
    expect(keys).toEqual([
      'tblp-50.example',
      'tblp-51.example',
      'tblp-52.example',
      'tblp-53.example',
      'tblp-54.example',
    ]);
    expect(second.html).not.toContain('rel="next"');
  });

  it('pages across a sort with cursors that carry its keys', async () => {
    for (const query of ['&sort=confirmations&order=desc', '&sort=lastSeen', '&order=desc']) {
      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await api(`${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.total).toBe(3);
        seen.push(...page.items.map((d) => d.listKey));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(await keys(query));
    }
    const first = await api('&sort=lastSeen&limit=1');
    const refused = await ctx.call('GET', `/v1/domains?q=tbl-&sort=confirmations&cursor=${first.nextCursor}`, {
      token: a.analyst,
    });
    expect(refused.status).toBe(400);
    expect((await ctx.call('GET', '/v1/domains?sort=lastSeen&cursor=tbl-a.example', { token: a.analyst })).status).toBe(
      400,
    );
  });
});

describe(`counts on the other lists on ${databaseName}`, () => {
  const countOf = async (query: ReturnType<typeof sql>) =>
    Number((await queryRows<{ n: number | string }>(ctx.deps.db, query))[0]!.n);
  beforeAll(async () => {
    await ctx.call('POST', '/v1/delisting-requests', {
      body: { domain: 'listed-two.example', contact: 'owner@listed-two.example', statement: 'Please review this.' },
    });
    // Two decisions on a key nobody reported, which leave it as it was.
    const body = { reason: 'counted in the audit' };
    await ok(ctx.call('POST', '/v1/domains/audit-count.example/exclusion', { token: a.analyst, body }));
    await ok(ctx.call('DELETE', '/v1/domains/audit-count.example/exclusion', { token: a.analyst, body }));
  });

  it('counts the audit entries a filter matches, page after page', async () => {
    const client = await signedIn(a.analyst);
    const all = await countOf(sql`select count(*) as n from audit_log`);
    expect(all).toBeGreaterThan(50);
    const first = await client.get('/console/audit');
    expect(first.html).toContain(`Everything recorded 1–50 of ${all.toLocaleString('en')}, newest first`);
    const older = /<a href="([^"]+)" rel="next">/.exec(first.html)![1]!.replaceAll('&amp;', '&');
    const second = await client.get(older);
    expect(second.html).toContain(`Everything recorded 51–${Math.min(100, all)} of ${all.toLocaleString('en')}`);
    const byDomain = await client.follow(await client.post('/console/audit', { domain: 'audit-count.example' }));
    const about = await countOf(
      sql`select count(*) as n from audit_log where subject = 'domain:audit-count.example' or detail ->> 'listKey' = 'audit-count.example'`,
    );
    expect(about).toBe(2);
    expect(byDomain.html).toContain(`Matching entries 1–${about} of ${about}, newest first`);
  });

  it('counts the build runs and the versions', async () => {
    const client = await signedIn(a.analyst);
    const html = (await client.get('/console/builds')).html;
    const runs = await countOf(sql`select count(*) as n from build_runs`);
    const versions = await countOf(sql`select max(version) as n from snapshots`);
    expect(html).toContain(`<caption>Runs 1–${Math.min(50, runs)} of ${runs}, newest first</caption>`);
    expect(html).toContain(`<caption>Versions 1–${Math.min(50, versions)} of ${versions}, newest first</caption>`);
  });

  it('counts the delisting requests of each state on its tab', async () => {
    const client = await signedIn(a.analyst);
    const html = (await client.get('/console/delisting')).html;
    for (const [state, label] of [
      ['open', 'Open'],
      ['accepted', 'Accepted'],
      ['rejected', 'Rejected'],
    ] as const) {
      const n = await countOf(sql`select count(*) as n from delisting_requests where state = ${state}`);
      expect(html).toMatch(new RegExp(`>${label} \\(${n}\\)</a>`));
    }
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
      ['/console', 'The list over the last 7 d'],
      ['/console/domains', 'listed-one.example'],
      ['/console/confirmation-queue', 'candidate.example'],
      ['/console/confirmation-queue', 'one more country'],
      ['/console/confirmation-queue', '<caption>Waiting for a confirmation, 1–50 of '],
      ['/console/builds', 'Recent runs'],
      ['/console/versions/1', 'Signature key id'],
      ['/console/delisting', 'Delisting requests'],
    ] as const) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(res.html, path).toContain(text);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const candidates = await client.search('', 'candidate');
    expect(candidates.html).toContain('candidate.example');
    expect(candidates.html).not.toContain('listed-one.example');
    expect((await client.search('listed-t')).html).toContain('listed-two.example');
    expect((await client.get(await client.domainPath('candidate.example'))).html).toContain('confirmingCountries');
    const unknown = await client.search('nothing-known.example');
    expect(unknown.html).toContain('Nothing is known under that key: it is not listed.');
    const opened = await client.get(/href="(\/console\/domains\/[\w-]+)"><code>nothing-known/.exec(unknown.html)![1]!);
    expect(opened.status).toBe(404);
    expect(opened.html).toContain('nothing is known about nothing-known.example');
    expect(opened.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect((await client.get('/console/domains/not-a-sealed-name')).status).toBe(404);
    expect((await client.get('/console/versions/999')).status).toBe(404);
    expect((await client.get('/console/no-such-page')).status).toBe(404);
  });

  it('draws the list over time for 24 h, 7 d or 30 d, with time axes, titles and round ticks', async () => {
    const client = await signedIn(a.analyst);
    const week = await client.get('/console');
    expect(week.html).toContain('<a href="/console?range=7d" aria-current="page">7 d</a>');
    expect(week.html).toContain('<title id="entries-title">Entries on the list, at the end of each day (UTC)</title>');
    expect(week.html).toContain('Keys added (up) and removed (down) per day (UTC), logarithmic axis');
    expect(week.html).toContain('Longest build per day (UTC), in seconds');
    // The table has a row per day, today's first, with the figures the charts draw.
    const today = ctx.now().toISOString().slice(0, 10);
    expect(week.html).toMatch(new RegExp(`<td>${today}</td><td class="num">\\d+</td><td class="num">\\d+</td>`));
    expect(week.html.match(/<td>\d{4}-\d{2}-\d{2}<\/td>/g)?.length).toBe(7);
    const day = await client.get('/console?range=24h');
    expect(day.html).toContain('<title id="entries-title">Entries on the list, at the end of each hour (UTC)</title>');
    expect(day.html.match(/<td>\d{4}-\d{2}-\d{2} \d{2}:00–\d{2}:00 UTC<\/td>/g)?.length).toBe(24);
    expect((await client.get('/console?range=30d')).html.match(/<td>\d{4}-\d{2}-\d{2}<\/td>/g)?.length).toBe(30);
    expect((await client.get('/console?range=nonsense')).html).toContain('aria-current="page">7 d</a>');
  });

  it('names one state per domain, the same in lists, filters, pages and the API', async () => {
    const client = await signedIn(a.analyst);
    const any = await client.search('candidate.');
    expect(any.html).toMatch(
      /<code>candidate\.example<\/code><\/a>\s*<\/td>\s*<td>\s*<span class="badge candidate">candidate<\/span>/,
    );
    const page = await client.get(await client.domainPath('candidate.example'));
    expect(page.html).toContain('<span class="badge candidate">candidate</span>');
    const api = await ok<{ items: { listKey: string; state: string }[] }>(
      ctx.call('GET', '/v1/domains?q=candidate.', { token: a.analyst }),
    );
    expect(api.items).toMatchObject([{ listKey: 'candidate.example', state: 'candidate', listedSince: null }]);
    expect(
      (await ok<{ state: string }>(ctx.call('GET', '/v1/domains/candidate.example', { token: a.analyst }))).state,
    ).toBe('candidate');
  });

  it('keeps listed domains out of every URL it links to or redirects to', async () => {
    const client = await signedIn(a.analyst);
    const urls: string[] = [];
    const collect = (html: string) => urls.push(...[...html.matchAll(/(?:href|action)="([^"]+)"/g)].map((m) => m[1]!));
    const results = await client.search('listed-', 'listed');
    collect(results.html);
    const domain = await client.domainPath('listed-one.example');
    urls.push(domain);
    for (const path of [
      '/console',
      '/console/domains',
      '/console/confirmation-queue',
      '/console/delisting',
      domain,
      '/console/versions/1',
    ])
      collect((await client.get(path)).html);
    const post = await client.post('/console/domains', { q: 'listed-one.example' });
    urls.push(post.location!);
    expect(urls.length).toBeGreaterThan(20);
    for (const url of urls) expect(url, url).not.toMatch(/listed-one|listed-two|candidate\.example/);
  });

  it('resolves a hostname or URL to the list key it falls under, with the hostname policy', async () => {
    await report(ctx, a, 'http://img.zz-site-42.example/a.jpg');
    await build(ctx, a);
    const client = await signedIn(a.analyst);
    for (const typed of ['img.zz-site-42.example', 'https://IMG.zz-site-42.example:443/a.jpg?x=1']) {
      const res = await client.search(typed);
      expect(res.html, typed).toContain('<h2 id="lookup"><code>img.zz-site-42.example</code></h2>');
      expect(res.html, typed).toMatch(
        /Falls under the list key <a href="\/console\/domains\/[\w-]+"><code>zz-site-42\.example<\/code><\/a>/,
      );
      expect(res.html, typed).toMatch(
        /<span class="badge listed">listed<\/span> on the latest version of the list, since <a href="\/console\/versions\/\d+">v\d+<\/a>/,
      );
      expect(res.html, typed).toContain('It meets every criterion.');
    }
    // A domain page opened for the host shows the key's page and says which key.
    const hostPage = /href="(\/console\/domains\/[\w-]+)"><code>img\.zz-site-42/.exec(
      (await client.search('zz-site-42')).html,
    );
    expect(hostPage).toBeNull();
    await listHostnames(ctx, a, 'zz-site-42.example');
    const byHost = await client.search('img.zz-site-42.example');
    expect(byHost.html).toMatch(
      /Falls under the list key <a [^>]+><code>img\.zz-site-42\.example<\/code><\/a>\s*\(hostname policy: each hostname\)/,
    );
  });

  it('shows the exclusion in force and Restore at once, before any build', async () => {
    const client = await signedIn(a.analyst);
    const domain = await client.domainPath('listed-two.example');
    await client.get(domain);
    const short = await client.post(`${domain}/exclude`, { reason: 'x' });
    expect(short.status).toBe(303);
    const refused = await client.follow(short);
    expect(refused.html).toContain('Reason is too short: write at least 3 characters.');
    expect(refused.html).toMatch(/aria-invalid="true" aria-describedby="exclude-reason-error">x<\/textarea>/);
    // The message is shown once: a reload shows the plain page.
    expect((await client.get(domain)).html).not.toContain('too short');
    const res = await client.post(`${domain}/exclude`, { reason: 'shared host, <b>not</b> the abuser' });
    expect(res.status).toBe(303);
    const page = await client.follow(res);
    expect(page.html).toContain('The domain is excluded');
    expect(page.html).toContain('shared host, &lt;b&gt;not&lt;/b&gt; the abuser');
    expect(page.html).toContain('<span class="badge listed">listed</span>');
    expect(page.html).toMatch(/<strong>Excluded<\/strong> since/);
    expect(page.html).toContain('The next build removes it from the list.');
    expect(page.html).toContain(`action="${domain}/restore"`);
    const restored = await client.post(`${domain}/restore`, { reason: 'excluded by mistake' });
    const after = await client.follow(restored);
    expect(after.html).toContain('The exclusion is lifted');
    expect(after.html).toContain('The next build keeps it on the list.');
    await client.post(`${domain}/exclude`, { reason: 'shared host after all' });
    const again = await client.follow(await client.post(`${domain}/exclude`, { reason: 'twice' }));
    expect(again.html).toContain('is excluded already');
    const confirm = await client.get('/console/builds/confirm');
    const [, n, isps, plus, minus] = /Publishes version (\d+) to (\d+) ISPs?: \+(\d+) −(\d+)\./.exec(confirm.html)!;
    expect(Number(isps)).toBe(1);
    expect(Number(minus)).toBeGreaterThanOrEqual(1);
    const built = await client.post('/console/builds');
    expect(built.location).toBe(`/console/versions/${n}?done=built`);
    const version = await client.get(built.location!);
    expect(version.html).toContain(`Added in version ${n} (${plus})`);
    expect(version.html).toContain(`Removed in version ${n} (${minus})`);
    expect(version.html).toMatch(new RegExp(`Removed in version ${n}[\\s\\S]*listed-two\\.example`));
    const excluded = await client.get(domain);
    expect(excluded.html).toContain('<span class="badge excluded">excluded</span>');
    expect(excluded.html).toContain('The next build leaves it off the list.');
    expect((await client.get('/console/builds/confirm')).html).toContain('The entry set is unchanged');
    expect((await client.post(`${domain}/restore`, { reason: 'appeal upheld' })).status).toBe(303);
  });

  it('says of each assessment whether it counts and why not, and counts only those', async () => {
    await report(ctx, a, 'http://zz-half.example/1', { from: [a.reporterA], assessment: { realChild: false } });
    await report(ctx, a, 'http://zz-half.example/2', { from: [a.reporterB], assessment: { severity: 2 } });
    await report(ctx, a, 'http://zz-half.example/3', { from: [a.reporterC] });
    const client = await signedIn(a.analyst);
    const page = await client.get(await client.domainPath('zz-half.example'));
    const row = (org: string) => new RegExp(`<tr><td>${org}[\\s\\S]*?</tr>`).exec(page.html)?.[0] ?? '';
    expect(page.html).toMatch(/<dt>Assessments that count<\/dt><dd>1/);
    const api = await ok<{
      evidence: {
        countries: string[];
        countingAssessments: number;
        assessments: { counts: boolean; failing: { name: string }[] }[];
      };
      evaluation: { criteria: { name: string; observed: unknown }[] };
    }>(ctx.call('GET', '/v1/domains/zz-half.example', { token: a.analyst }));
    const countries = api.evaluation.criteria.find((c) => c.name === 'confirmingCountries')!.observed;
    expect(api.evidence.countries.length).toBe(countries);
    expect(api.evidence.countingAssessments).toBe(1);
    expect(api.evidence.assessments.map((x) => x.failing.map((f) => f.name)).sort()).toEqual([
      [],
      ['realChild'],
      ['severity'],
    ]);
    expect(page.html).toContain('not assessed as a real child');
    expect(page.html).toMatch(/severity 2, below 4/);
    expect(row('ZZ')).toBeDefined();
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

  it('lets an NCB issue an ISP key, shown once after a redirect, and revoke it after confirming', async () => {
    const client = await signedIn(a.ncb);
    const page = await client.get('/console/ncb');
    expect(page.html).toContain('ZZ ISP');
    const orgId = /<option value="(\d+)">ZZ ISP<\/option>/.exec(page.html)![1]!;
    const empty = await client.post('/console/ncb/credentials', { organisationId: orgId, label: '', expiresOn: '' });
    expect(empty.status).toBe(303);
    expect((await client.follow(empty)).html).toMatch(/Label is too short/);
    const issued = await client.post('/console/ncb/credentials', {
      organisationId: orgId,
      label: 'resolver 7',
      expiresOn: '',
    });
    expect(issued.status).toBe(303);
    expect(issued.location).toBe('/console/ncb');
    const shown = await client.follow(issued);
    const token = /(wol_isp_[A-Za-z0-9_-]+)/.exec(shown.html)![1]!;
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect((await ctx.call('GET', '/v1/list/manifest', { token })).status).toBe(200);
    // Reloading the page shows no key and issues none.
    const after = await client.get('/console/ncb');
    expect(after.html).not.toContain(token);
    expect(after.html.match(/<td>resolver 7<\/td>/g)?.length).toBe(1);
    const confirm = /href="(\/console\/ncb\/credentials\/(\d+)\/revoke)" aria-label="Revoke the key resolver 7…"/.exec(
      after.html,
    )!;
    const question = await client.get(confirm[1]!);
    expect(question.html).toContain('ZZ ISP’s key “resolver 7” stops working at once');
    expect((await ctx.call('GET', '/v1/list/manifest', { token })).status).toBe(200);
    expect((await client.post(confirm[1]!)).location).toBe('/console/ncb?done=revoked');
    expect((await ctx.call('GET', '/v1/list/manifest', { token })).status).toBe(401);
  });

  it('shows the audit trail: who did what, when, to which domain, filtered by person, domain and day', async () => {
    const client = await signedIn(a.analyst);
    const domain = await client.domainPath('listed-one.example');
    await client.get(domain);
    await client.post(`${domain}/exclude`, { reason: 'audited exclusion' });
    await client.post(`${domain}/restore`, { reason: 'audited restore' });
    const decided = await client.get(domain);
    expect(decided.html).toContain('by <span>analyst <span class="muted">(analyst · ZZ List team)</span></span>');
    expect(decided.html).not.toContain('credential #');

    const all = await client.get('/console/audit');
    expect(all.status).toBe(200);
    expect(all.html).toMatch(/analyst <span class="muted">\(analyst · ZZ List team\)<\/span>/);
    const filter = (form: Record<string, string>) => client.post('/console/audit', form).then((r) => client.follow(r));
    await client.get('/console/audit');
    const byHost = await filter({ domain: 'https://www.listed-one.example/page' });
    expect(byHost.html).toContain('(list key <code>listed-one.example</code>)');
    expect(byHost.html).toContain('audited exclusion');
    expect(byHost.html).toContain('audited restore');
    expect(byHost.html).not.toContain('listed-two.example');
    expect(byHost.html).toMatch(/<td>excluded<\/td>/);
    const analystId = /<option value="(\d+)">analyst \(analyst · ZZ List team\)<\/option>/.exec(byHost.html)![1]!;
    await client.get('/console/audit');
    const ncbOnly = await filter({ actor: analystId, from: '2000-01-01', to: '2000-01-02' });
    expect(ncbOnly.html).toContain('Nothing recorded matches.');
    await client.get('/console/audit');
    const today = ctx.now().toISOString().slice(0, 10);
    const mine = await filter({ actor: analystId, from: today, to: today });
    expect(mine.html).toContain('audited restore');
    expect(/<tbody>[\s\S]*<\/tbody>/.exec(mine.html)![0]).not.toContain('(reporter');
    for (const url of [...mine.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!))
      expect(url).not.toMatch(/listed-one/);
  });

  it('returns to the form’s page after a session ends mid-form', async () => {
    const client = await signedIn(a.analyst);
    const domain = await client.domainPath('listed-one.example');
    await client.get(domain);
    const start = ctx.now();
    ctx.setNow(new Date(start.getTime() + 3601_000));
    let ended: Awaited<ReturnType<ConsoleClient['post']>>;
    try {
      ended = await client.post(
        `${domain}/exclude`,
        { reason: 'typed before the session ended' },
        {
          referer: `http://localhost${domain}`,
        },
      );
    } finally {
      ctx.setNow(start);
    }
    expect(ended.location).toBe(`/console/sign-in?ended=1&next=${encodeURIComponent(domain)}`);
    // Nothing was decided, and signing in again leads back to the page.
    expect((await client.get(domain)).status).toBe(303);
    await client.get(ended.location!);
    expect((await client.post('/console/sign-in', { key: a.analyst, next: domain })).location).toBe(domain);
    expect((await client.get(domain)).html).toContain(`action="${domain}/exclude"`);
    // A Referer from another site is not followed.
    const other = new ConsoleClient(ctx);
    const refused = await other.post('/console/builds', {}, { referer: 'https://evil.example/console/builds' });
    expect(refused.location).toBe('/console/sign-in');
  });

  it('counts only failed sign-ins toward the limit: a team behind one address is never locked out', async () => {
    const address = '203.0.113.77';
    for (let i = 0; i < 12; i++)
      expect((await new ConsoleClient(ctx, { address }).signIn(a.analyst)).status, `sign-in ${i}`).toBe(303);
    for (let i = 0; i < 10; i++)
      expect((await new ConsoleClient(ctx, { address }).signIn('wol_wrong')).status).toBe(400);
    const limited = await new ConsoleClient(ctx, { address }).signIn(a.analyst);
    expect(limited.status).toBe(429);
    expect(limited.html).toContain('Too many failed sign-ins');
  });
});

describe(`work queues on ${databaseName}`, () => {
  /** Each work queue on a page: its label, link (or none) and count. */
  const queues = (html: string) =>
    Object.fromEntries(
      [...html.matchAll(/<dt>([^<]+)<\/dt><dd>(?:<a href="([^"]+)">([\d,]+)<\/a>|([\d,]+))<small>/g)].map((m) => [
        m[1]!,
        { href: m[2] ?? null, count: Number((m[3] ?? m[4])!.replace(/,/g, '')) },
      ]),
    );

  it('counts each queue on the dashboard and links to its list, naming no domain', async () => {
    await report(ctx, a, 'http://recheck-due.example/a', { daysAgo: 40 });
    await build(ctx, a);
    // A decision after the build's instant (the test clock stands still otherwise).
    ctx.setNow(new Date(ctx.now().getTime() + 1000));
    await ok(
      ctx.call('POST', '/v1/domains/listed-two.example/exclusion', {
        token: a.analyst,
        body: { reason: 'mistaken report, checked by hand' },
      }),
      201,
    );
    await ok(
      ctx.call('POST', '/v1/organisations', {
        token: a.admin,
        body: { name: 'ZZ ISP Never', kind: 'isp', country: 'DK' },
      }),
      201,
    );
    const live = await ok<{ total: number; items: { listKey: string }[] }>(
      ctx.call('GET', '/v1/review-queue', { token: a.analyst }),
    );
    expect(live.items.map((i) => i.listKey)).toContain('recheck-due.example');
    const waiting = await ok<{ total: number }>(ctx.call('GET', '/v1/confirmation-queue', { token: a.analyst }));
    const open = await ok<{ items: unknown[] }>(
      ctx.call('GET', '/v1/delisting-requests?state=open', { token: a.analyst }),
    );

    const analyst = await signedIn(a.analyst);
    const dashboard = await analyst.get('/console');
    expect(dashboard.html).toContain('<h2 id="queues-heading">Work queues</h2>');
    const counted = queues(dashboard.html);
    expect(counted['Re-checks due']).toEqual({ href: '/console/recheck-queue', count: live.total });
    expect(counted['Open delisting requests']).toEqual({ href: '/console/delisting', count: open.items.length });
    expect(counted['Exclusions waiting for a build']).toEqual({ href: '/console/pending-exclusions', count: 1 });
    expect(counted['One confirmation short']).toEqual({ href: '/console/confirmation-queue', count: waiting.total });
    expect(waiting.total).toBeGreaterThan(0);
    // ZZ ISP Never has never pulled; an analyst sees the count, an admin the list.
    expect(counted['Stale ISPs']!.href).toBeNull();
    expect(counted['Stale ISPs']!.count).toBeGreaterThanOrEqual(1);
    const admin = await signedIn(a.admin);
    const adminQueues = queues((await admin.get('/console')).html);
    expect(adminQueues['Stale ISPs']).toEqual({
      href: '/console/ncbs#stale-isps',
      count: counted['Stale ISPs']!.count,
    });
    const ncbs = await admin.get('/console/ncbs');
    const staleTable = ncbs.html.slice(ncbs.html.indexOf('id="stale-isps"'));
    expect(staleTable).toContain('<td>ZZ ISP Never</td><td>DK</td><td><span class="muted">never</span>');
    expect(staleTable.match(/<tr><td>/g)).toHaveLength(counted['Stale ISPs']!.count);

    // Each list behind a count.
    const recheck = await analyst.get('/console/recheck-queue');
    expect(recheck.status).toBe(200);
    expect(recheck.html).toContain('<h1>Re-check queue</h1>');
    expect(recheck.html).toContain('recheck-due.example');
    expect(recheck.html).toContain('aria-current="page">Re-check queue</a>');
    expect(recheck.html).toContain(`${live.total} in all`);
    expect(recheck.html).toContain(`<caption>Due for a re-check, 1–${live.total} of ${live.total}</caption>`);
    const pending = await analyst.get('/console/pending-exclusions');
    expect(pending.html).toContain('listed-two.example');
    expect(pending.html).toContain('removes it from the list');
    expect(pending.html).toContain('mistaken report, checked by hand');
    expect(pending.html).toMatch(/analyst <span class="muted">\(analyst · ZZ List team\)<\/span>/);
    // No domain name in any link of these pages.
    const links = [dashboard.html, recheck.html, pending.html].flatMap((html) =>
      [...html.matchAll(/(?:href|action)="([^"]+)"/g)].map((m) => m[1]!),
    );
    for (const url of links) expect(url, url).not.toMatch(/recheck-due|listed-two|listed-one|candidate\.example/);
    // For analysts and admins: the NCB keeps to its page.
    const ncb = await signedIn(a.ncb);
    expect((await ncb.get('/console/recheck-queue')).status).toBe(403);
    expect((await ncb.get('/console/pending-exclusions')).status).toBe(403);

    // A build takes the exclusion up: nothing waits.
    await build(ctx, a);
    expect(queues((await analyst.get('/console')).html)['Exclusions waiting for a build']!.count).toBe(0);
    expect((await analyst.get('/console/pending-exclusions')).html).toContain('No decision waits for a build.');
  });

  it("shows an NCB its own country's stale ISPs", async () => {
    const ncb = await signedIn(a.ncb);
    const page = await ncb.get('/console/ncb');
    const stale = queues(page.html)['Stale ISPs']!;
    expect(stale.href).toBe('#status');
    expect(page.html).not.toContain('ZZ ISP Never');
    expect((page.html.match(/<span class="badge fail">stale<\/span>/g) ?? []).length).toBe(stale.count);
  });
});
