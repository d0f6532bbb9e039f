/**
 * The public delisting intake under abuse: limited per client address (429 + Retry-After),
 * bounded in size, and answering byte for byte the same for a listed and an unlisted domain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed, report } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext({ WOL_DELISTING_RATE: '5', WOL_DELISTING_WINDOW: '10m' });
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

let sequence = 0;
/** A request as it arrives from `address` on Node: the socket's peer, whatever the headers say. */
async function ask(address: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Response> {
  const payload = {
    domain: 'zz-unlisted.com',
    contact: `owner-${++sequence}@zz-site.example`,
    statement: 'This is my small business site; please review it.',
    ...(body as object),
  };
  return ctx.app.request(
    '/v1/delisting-requests',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(payload),
    },
    { incoming: { socket: { remoteAddress: address } } },
  );
}

describe(`delisting requests under abuse on ${databaseName}`, () => {
  it('answers 429 with Retry-After past the limit, while another address is still served', async () => {
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        ask('198.51.100.7', {}, { 'x-forwarded-for': `203.0.113.${i}` }).then(async (res) => ({
          status: res.status,
          type: res.headers.get('content-type'),
          retryAfter: res.headers.get('retry-after'),
          body: await res.json(),
        })),
      ),
    );
    expect(burst.filter((r) => r.status === 202)).toHaveLength(5);
    const refused = burst.filter((r) => r.status === 429);
    expect(refused).toHaveLength(95);
    for (const r of refused) {
      expect(r.type).toBe('application/problem+json');
      expect(r.body).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(600);
    }
    expect((await ask('192.0.2.44')).status).toBe(202);
    // The same /64 is one client; an IPv4-mapped address is its IPv4 address.
    expect((await ask('::ffff:198.51.100.7')).status).toBe(429);

    ctx.setNow(new Date(ctx.now().getTime() + 10 * 60_000));
    expect((await ask('198.51.100.7')).status).toBe(202);
  });

  it('limits an IPv6 client per /64', async () => {
    for (let i = 1; i <= 5; i++) expect((await ask(`2001:db8:1:2::${i}`)).status).toBe(202);
    expect((await ask('2001:db8:1:2:ffff::9')).status).toBe(429);
    expect((await ask('2001:db8:1:3::1')).status).toBe(202);
  });

  it('refuses a body larger than the route allows before reading it all', async () => {
    const res = await ask(
      '192.0.2.50',
      JSON.stringify({ domain: 'zz-big.com', contact: 'x@zz.example', statement: 'x'.repeat(40_000) }),
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'body_too_large' });
    const tooLong = await ask('192.0.2.50', { statement: 'y'.repeat(5001) });
    expect(tooLong.status).toBe(422);
  });

  it('answers byte for byte the same for a listed and an unlisted domain, apart from the id', async () => {
    await report(ctx, a, 'http://zz-abuse-listed.com/a');
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-abuse-listed.com');
    const body = (domain: string) => ({ domain, contact: 'same@zz-site.example' });
    const [forListed, forUnlisted] = [
      await ask('192.0.2.60', body('zz-abuse-listed.com')),
      await ask('192.0.2.61', body('zz-abuse-unlisted.com')),
    ];
    expect(forListed.status).toBe(202);
    expect(forUnlisted.status).toBe(202);
    const headers = (r: Response) => [...r.headers].filter(([name]) => name !== 'x-request-id');
    expect(headers(forListed)).toEqual(headers(forUnlisted));
    const bytes = async (r: Response) =>
      Buffer.from(await r.arrayBuffer())
        .toString('latin1')
        .replace(/"id":"[0-9a-f-]{36}"/, '"id":""');
    expect(await bytes(forListed)).toBe(await bytes(forUnlisted));

    // A repeat of the same request on the same day is the same request, answered the same way.
    const again = await ask('192.0.2.60', body('zz-abuse-listed.com'));
    expect(again.status).toBe(202);
  });
});
