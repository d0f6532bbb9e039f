import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { createTestContext, type TestContext } from './support/context.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ WOL_MAX_BODY_BYTES: '2048' });
});
afterAll(() => ctx.close());

describe('HTTP skeleton', () => {
  it('answers /healthz with the database reachable', async () => {
    const res = await ctx.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database does not answer', async () => {
    const broken = createApp({
      ...ctx.deps,
      db: { execute: () => Promise.reject(new Error('connection refused')) } as never,
    });
    const res = await broken.request('/healthz');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers unknown routes with problem+json and the request id', async () => {
    const res = await ctx.call('GET', '/nowhere', { headers: { 'x-request-id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.json()).toMatchObject({ status: 404, code: 'not_found', instance: 'req-123' });
    const fresh = await ctx.call('GET', '/nowhere', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect((await fresh.json()).instance).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hides unexpected errors behind a generic 500', async () => {
    const app = createApp(ctx.deps);
    app.get('/boom', () => {
      throw new Error('secret internals at /srv/x.ts:12');
    });
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internals');
    expect(JSON.parse(text)).toMatchObject({ code: 'internal_error' });
  });

  it('limits request bodies', async () => {
    const app = createApp(ctx.deps);
    app.post('/echo', async (c) => c.json(await c.req.json()));
    const res = await app.request('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'body_too_large' });
  });

  it('runs on a migrated database', async () => {
    const result = await ctx.deps.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { table_name: string }[];
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'organisations',
        'credentials',
        'reports',
        'assessments',
        'snapshots',
        'listings',
        'artifacts',
        'audit_log',
      ]),
    );
  });
});
