import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessments, auditLog, reports } from '../src/db/schema.ts';
import { type Actors, confirming, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext({ WOL_MAX_BODY_BYTES: String(8 * 1024 * 1024) });
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

const reportCount = async () => (await ctx.deps.db.select({ n: count() }).from(reports))[0]!.n;

describe(`intake on ${databaseName}`, () => {
  it('creates a report and answers its canonical form', async () => {
    const res = await ctx.call('POST', '/v1/reports', {
      token: a.reporterA,
      body: { externalRef: 'in-1', url: 'HTTP://Img.ZZ-Intake.net:80/a#b', assessment: confirming(ctx) },
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({
      id: expect.any(Number),
      url: 'http://img.zz-intake.net/a',
      host: 'img.zz-intake.net',
      listKey: 'zz-intake.net',
      known: expect.objectContaining({ listKey: expect.objectContaining({ listKey: 'zz-intake.net', reports: 0 }) }),
    });
    const [stored] = await ctx.deps.db.select().from(assessments).where(eq(assessments.reportId, body.id));
    expect(stored).toMatchObject({ verdict: 'confirmed', severity: 7, organisationId: a.orgs.hotlineA });
  });

  it('answers a resubmission with the stored report and changes nothing', async () => {
    const first = await ok<{ id: number }>(
      ctx.call('POST', '/v1/reports', { token: a.reporterA, body: { externalRef: 'idem-1', url: 'zz-idem.com/x' } }),
    );
    const before = await reportCount();
    const audits = (await ctx.deps.db.select({ n: count() }).from(auditLog))[0]!.n;
    const again = await ctx.call('POST', '/v1/reports', {
      token: a.reporterA,
      body: { externalRef: 'idem-1', url: 'zz-other.com/y', assessment: confirming(ctx) },
    });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(first.id);
    expect(await reportCount()).toBe(before);
    expect(
      (await ctx.deps.db.select({ n: count() }).from(assessments).where(eq(assessments.reportId, first.id)))[0]!.n,
    ).toBe(0);
    expect((await ctx.deps.db.select({ n: count() }).from(auditLog))[0]!.n).toBe(audits);
    // The same reference from another organisation is another report.
    const other = await ctx.call('POST', '/v1/reports', {
      token: a.reporterB,
      body: { externalRef: 'idem-1', url: 'zz-idem.com/x' },
    });
    expect(other.status).toBe(201);
  });

  it('counts one organisation’s latest assessment of a report once', async () => {
    const { id } = await ok<{ id: number }>(
      ctx.call('POST', '/v1/reports', { token: a.reporterA, body: { externalRef: 'as-1', url: 'zz-assess.com' } }),
    );
    await ok(
      ctx.call('POST', `/v1/reports/${id}/assessments`, {
        token: a.reporterB,
        body: confirming(ctx, 3, { severity: 5 }),
      }),
    );
    const latest = await ok(
      ctx.call('POST', `/v1/reports/${id}/assessments`, {
        token: a.reporterB,
        body: confirming(ctx, 1, { severity: 9 }),
      }),
    );
    expect(latest).toMatchObject({ reportId: id, organisationId: a.orgs.agencyB, severity: 9 });
    const rows = await ctx.deps.db.select().from(assessments).where(eq(assessments.reportId, id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.severity).toBe(9);
    const missing = await ctx.call('POST', '/v1/reports/999999/assessments', {
      token: a.reporterB,
      body: confirming(ctx),
    });
    expect(missing.status).toBe(404);
  });

  it('accepts RFC 3339 times with offsets and fractions', async () => {
    const res = await ctx.call('POST', '/v1/reports', {
      token: a.reporterA,
      body: {
        externalRef: 'tz-1',
        url: 'zz-tz.com',
        reportedAt: '2026-11-19T08:15:30.123456+02:00',
        observedOnlineAt: '2026-11-19T08:15:30Z',
      },
    });
    expect(res.status).toBe(201);
  });

  it('takes a batch of 10,000 and answers per item', async () => {
    const items: unknown[] = Array.from({ length: 10_000 }, (_, i) => ({
      externalRef: `batch-${i}`,
      url: `http://h${i % 50}.zz-batch-${i % 997}.com/p/${i}`,
      ...(i % 10 === 0 ? { assessment: confirming(ctx) } : {}),
    }));
    items[5] = { externalRef: 'bad-url', url: 'ftp://zz-nope.com' };
    items[6] = { externalRef: 'bad-field', url: 'zz-ok.com', colour: 'red' };
    items[7] = { externalRef: 'batch-8', url: 'zz-dup.com' }; // same ref as item 8: one report
    const before = await reportCount();
    const res = await ctx.call('POST', '/v1/reports', { token: a.reporterC, body: { reports: items } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.summary).toEqual({ created: 9997, existing: 1, rejected: 2 });
    expect(body.results).toHaveLength(10_000);
    expect(body.results[5]).toMatchObject({
      index: 5,
      status: 'rejected',
      error: { code: 'unsupported_scheme', field: 'url' },
    });
    expect(body.results[6]).toMatchObject({ index: 6, status: 'rejected', error: { code: 'validation_failed' } });
    expect(body.results[7]).toMatchObject({ status: 'created', listKey: 'zz-dup.com' });
    expect(body.results[8]).toMatchObject({ status: 'existing', id: body.results[7].id });
    expect(await reportCount()).toBe(before + 9997);
    expect(
      await ctx
        .call('POST', '/v1/reports', { token: a.reporterC, body: { reports: new Array(10_001).fill({}) } })
        .then((r) => r.status),
    ).toBe(422);
  });

  it('imports 100,000 NDJSON lines in bounded memory', async () => {
    const total = 100_000;
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        const lines: string[] = [];
        for (let i = 0; i < 2000 && sent < total; i++, sent++) {
          lines.push(
            sent === 777
              ? '{not json'
              : JSON.stringify({ externalRef: `nd-${sent}`, url: `http://zz-nd-${sent % 5000}.net/${sent}` }),
          );
        }
        controller.enqueue(encoder.encode(`${lines.join('\n')}\n`));
      },
    });
    // Live heap: sampled after a forced collection, so garbage not yet collected does not count.
    const live = () => {
      global.gc?.();
      return process.memoryUsage().heapUsed;
    };
    const heapBefore = live();
    let peak = heapBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, live());
    }, 250);
    const res = await ctx.app.request('/v1/reports', {
      method: 'POST',
      headers: { authorization: `Bearer ${a.reporterA}`, 'content-type': 'application/x-ndjson' },
      body,
      duplex: 'half',
    } as RequestInit);
    clearInterval(sampler);
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ line: 778, status: 'rejected', error: { code: 'malformed_json' } });
    // Lines past the first 5000 name keys reported before them, each answered as known; but the
    // key of the malformed line 778 is first reported at line 5778.
    expect(lines.at(-1)).toEqual({
      summary: {
        lines: total,
        created: total - 1,
        existing: 0,
        rejected: 1,
        known: { key: total - 5001, url: 0, listed: 0, content: 0 },
      },
    });
    // The whole body is ~6 MB of JSON; what stays in memory at once must be far less than
    // the file as parsed objects would be (100k objects are well over 50 MB).
    expect(global.gc).toBeDefined();
    expect(peak - heapBefore).toBeLessThan(32 * 1024 * 1024);
    console.info(
      `NDJSON import of ${total} lines: live heap grew by at most ${((peak - heapBefore) / 2 ** 20).toFixed(1)} MiB`,
    );
  }, 120_000);

  describe('bad input is refused with nothing stored', () => {
    const cases: [string, () => { body?: string | object; headers?: Record<string, string> }, number, string][] = [
      [
        'an invalid URL',
        () => ({ body: { externalRef: 'x1', url: 'javascript:alert(1)' } }),
        422,
        'unsupported_scheme',
      ],
      ['a public suffix', () => ({ body: { externalRef: 'x2', url: 'http://co.uk/' } }), 422, 'public_suffix'],
      [
        'an over-long label',
        () => ({ body: { externalRef: 'x3', url: `http://${'a'.repeat(64)}.com/` } }),
        422,
        'label_too_long',
      ],
      [
        'an unknown field',
        () => ({ body: { externalRef: 'x4', url: 'zz-x.com', colour: 'red' } }),
        422,
        'validation_failed',
      ],
      ['a wrong type', () => ({ body: { externalRef: 5, url: 'zz-x.com' } }), 422, 'validation_failed'],
      ['a missing field', () => ({ body: { url: 'zz-x.com' } }), 422, 'validation_failed'],
      [
        'an over-long string',
        () => ({ body: { externalRef: 'r'.repeat(201), url: 'zz-x.com' } }),
        422,
        'validation_failed',
      ],
      [
        'a date in the future',
        () => ({
          body: {
            externalRef: 'x5',
            url: 'zz-x.com',
            reportedAt: new Date(ctx.now().getTime() + 3_600_000).toISOString(),
          },
        }),
        422,
        'date_in_future',
      ],
      [
        'a malformed date',
        () => ({ body: { externalRef: 'x6', url: 'zz-x.com', reportedAt: 'yesterday' } }),
        422,
        'validation_failed',
      ],
      [
        'a bad assessment',
        () => ({ body: { externalRef: 'x7', url: 'zz-x.com', assessment: { ...confirming(ctx), severity: 11 } } }),
        422,
        'validation_failed',
      ],
      [
        'an assessment from the future',
        () => ({ body: { externalRef: 'x8', url: 'zz-x.com', assessment: confirming(ctx, -30) } }),
        422,
        'date_in_future',
      ],
      ['malformed JSON', () => ({ body: '{"externalRef": "x9", ' }), 400, 'malformed_json'],
      [
        'an oversized body',
        () => ({ body: { externalRef: 'x10', url: 'zz-x.com', note: 'n'.repeat(9 * 1024 * 1024) } }),
        413,
        'body_too_large',
      ],
      [
        'a wrong content type',
        () => ({ body: 'externalRef=x', headers: { 'content-type': 'text/plain' } }),
        415,
        'unsupported_media_type',
      ],
    ];
    it.each(cases)('%s', async (_name, make, status, code) => {
      const before = await reportCount();
      const res = await ctx.call('POST', '/v1/reports', { token: a.reporterA, ...make() });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = await res.json();
      expect(problem).toMatchObject({ status, code });
      if (status === 422)
        expect(JSON.stringify(problem.errors ?? problem.detail)).toMatch(
          /url|externalRef|colour|reportedAt|assessment|field/,
        );
      expect(await reportCount()).toBe(before);
    });

    it('names each unknown field by its path, nested ones too', async () => {
      const res = await ctx.call('POST', '/v1/reports', {
        token: a.reporterA,
        body: { externalRef: 'x9', url: 'zz-x.com', colour: 'red', assessment: { ...confirming(ctx), mood: 1 } },
      });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { detail: string; errors: { field: string; message: string }[] };
      expect(problem.errors).toEqual(
        expect.arrayContaining([
          { field: 'colour', message: 'unknown field' },
          { field: 'assessment.mood', message: 'unknown field' },
        ]),
      );
      expect(problem.errors.map((e) => e.field)).not.toContain('(body)');
    });
  });

  it('pages reports by cursor and keeps reporters to their own', async () => {
    const page1 = await ok<{ items: { id: number; organisationId: number }[]; nextCursor: number }>(
      ctx.call('GET', '/v1/reports?limit=3', { token: a.reporterB }),
    );
    expect(page1.items.every((r) => r.organisationId === a.orgs.agencyB)).toBe(true);
    const idem = await ok<{ items: { organisationId: number }[] }>(
      ctx.call('GET', '/v1/reports?listKey=zz-idem.com', { token: a.analyst }),
    );
    expect(new Set(idem.items.map((r) => r.organisationId)).size).toBe(2);
    const all = await ok<{ items: { id: number; organisationId: number }[]; nextCursor: number | null }>(
      ctx.call('GET', '/v1/reports?limit=1000', { token: a.analyst }),
    );
    const next = await ok<{ items: { id: number }[] }>(
      ctx.call('GET', `/v1/reports?limit=1000&cursor=${all.nextCursor}`, { token: a.analyst }),
    );
    expect(next.items.length).toBeGreaterThan(0);
    expect(Math.max(...next.items.map((r) => r.id))).toBeLessThan(all.nextCursor!);
    const someoneElses = all.items.find((r) => r.organisationId !== a.orgs.agencyB)!;
    expect((await ctx.call('GET', `/v1/reports/${someoneElses.id}`, { token: a.reporterB })).status).toBe(404);
    expect((await ctx.call('GET', `/v1/reports/${someoneElses.id}`, { token: a.analyst })).status).toBe(200);
  });

  it('audits every write in the same transaction', async () => {
    const rows = await ctx.deps.db.select().from(auditLog);
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['organisation.create', 'credential.issue', 'report.submit', 'assessment.record'])
      expect(actions).toContain(action);
    expect(rows.every((r) => r.at instanceof Date && r.subject.length > 0)).toBe(true);
  });

  // The reference page, /docs, is tested in test/docs.test.ts.
  it('publishes an OpenAPI 3.1 document', async () => {
    const doc = await ok<{ openapi: string; paths: Record<string, unknown> }>(ctx.call('GET', '/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/reports', '/v1/reports/{id}/assessments', '/v1/credentials']),
    );
  });
});
