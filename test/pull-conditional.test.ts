/**
 * HEAD and date revalidation on every artifact, for products that use Last-Modified and
 * If-Modified-Since instead of ETags: HEAD answers GET's headers without the body;
 * Last-Modified is the version's build time; If-Modified-Since gives 304 unless a newer
 * version exists, and If-None-Match, when sent, decides instead (RFC 9110 section 13.2.2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formats } from '../src/core/formats.ts';
import { type Actors, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
let builtAt: Date;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  await report(ctx, a, 'http://img.zz-cond-one.com/a');
  // A whole second plus a fraction: HTTP dates drop the fraction.
  builtAt = new Date(Math.floor(ctx.now().getTime() / 1000) * 1000 + 250);
  ctx.setNow(builtAt);
  await build(ctx, a);
});
afterAll(() => ctx.close());

const request = (method: string, url: string, headers: Record<string, string> = {}) =>
  ctx.app.request(url, { method, headers: { authorization: `Bearer ${a.isp}`, ...headers } });
const withoutRequestId = (res: Response) =>
  [...res.headers].filter(([name]) => name !== 'x-request-id').sort(([x], [y]) => (x < y ? -1 : 1));
const httpDate = (date: Date) => date.toUTCString();
const artifactUrls = () => formats.flatMap((f) => [`/v1/list/latest.${f}`, `/v1/list/1.${f}`]);

describe(`HEAD and If-Modified-Since on ${databaseName}`, () => {
  it('answers HEAD on every artifact with the headers of GET and no body', async () => {
    for (const url of artifactUrls()) {
      const got = await request('GET', url);
      const head = await request('HEAD', url);
      expect(head.status, url).toBe(200);
      expect(withoutRequestId(head), url).toEqual(withoutRequestId(got));
      expect((await head.arrayBuffer()).byteLength, url).toBe(0);
      const unchanged = await request('HEAD', url, { 'if-none-match': got.headers.get('etag')! });
      expect(unchanged.status, url).toBe(304);
    }
  });

  it('sends Last-Modified, the build time, on every artifact, 200 and 304 alike', async () => {
    for (const url of artifactUrls()) {
      const got = await request('GET', url);
      expect(got.headers.get('last-modified'), url).toBe(httpDate(builtAt));
      const again = await request('GET', url, { 'if-none-match': got.headers.get('etag')! });
      expect(again.status).toBe(304);
      expect(again.headers.get('last-modified'), url).toBe(httpDate(builtAt));
    }
  });

  it('answers If-Modified-Since at or after the build with 304, and before it with the artifact', async () => {
    for (const url of artifactUrls()) {
      const at = await request('GET', url, { 'if-modified-since': httpDate(builtAt) });
      expect(at.status, url).toBe(304);
      expect(await at.text()).toBe('');
      expect(at.headers.get('etag'), url).toMatch(/^"[0-9a-f]{64}"$/);
      const later = await request('HEAD', url, {
        'if-modified-since': httpDate(new Date(builtAt.getTime() + 86_400_000)),
      });
      expect(later.status, url).toBe(304);
      const before = await request('GET', url, { 'if-modified-since': httpDate(new Date(builtAt.getTime() - 1000)) });
      expect(before.status, url).toBe(200);
      expect((await before.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
    }
  });

  it('ignores an unparsable date, and lets If-None-Match decide when both are sent', async () => {
    expect((await request('GET', '/v1/list/latest.txt', { 'if-modified-since': 'yesterday-ish' })).status).toBe(200);
    const both = await request('GET', '/v1/list/latest.txt', {
      'if-modified-since': httpDate(builtAt),
      'if-none-match': `"${'0'.repeat(64)}"`,
    });
    expect(both.status).toBe(200);
  });

  it('serves latest again when a newer version was built in the same second, which a date cannot tell apart', async () => {
    await report(ctx, a, 'http://img.zz-cond-two.com/a');
    ctx.setNow(new Date(builtAt.getTime() + 500));
    expect((await build(ctx, a)).version).toBe(2);
    const same = await request('GET', '/v1/list/latest.txt', { 'if-modified-since': httpDate(builtAt) });
    expect(same.status).toBe(200);
    expect(same.headers.get('x-list-version')).toBe('2');
    // A versioned URL names one artifact for ever: its date is never ambiguous.
    expect((await request('GET', '/v1/list/1.txt', { 'if-modified-since': httpDate(builtAt) })).status).toBe(304);

    await report(ctx, a, 'http://img.zz-cond-three.com/a');
    const third = new Date(builtAt.getTime() + 5000);
    ctx.setNow(third);
    expect((await build(ctx, a)).version).toBe(3);
    expect((await request('GET', '/v1/list/latest.txt', { 'if-modified-since': httpDate(builtAt) })).status).toBe(200);
    expect((await request('GET', '/v1/list/latest.txt', { 'if-modified-since': httpDate(third) })).status).toBe(304);
  });
});
