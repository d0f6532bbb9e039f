/**
 * Text PostgreSQL cannot store — a NUL character, or a lone UTF-16 surrogate — is refused as
 * invalid input naming the field (422 problem+json, or a per-item rejection), never a 500,
 * and a batch keeps its valid items.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reports } from '../src/db/schema.ts';
import { type Actors, confirming, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

const bad: [string, string][] = [
  ['NUL', 'a\u0000b'],
  ['a lone high surrogate', 'a\uD800b'],
  ['a lone low surrogate', 'a\uDC00b'],
];

let sequence = 0;
const next = () => `${Date.now().toString(36)}-${++sequence}`;

/** Expects a 422 problem+json whose errors name `field`. */
async function refused(res: Response, field: string) {
  const text = await res.text();
  expect(res.status, text).toBe(422);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text);
  expect(body.errors?.map((e: { field: string }) => e.field)).toContain(field);
  expect(body.detail).toMatch(/NUL|surrogate/);
  return body;
}

describe(`unstorable text on ${databaseName}`, () => {
  describe.each(bad)('%s', (_, value) => {
    it('in a single report’s url or externalRef is a 422 naming the field', async () => {
      const ref = next();
      await refused(
        await ctx.call('POST', '/v1/reports', {
          token: a.reporterA,
          body: { externalRef: ref, url: `zz-text.com/${value}` },
        }),
        'url',
      );
      await refused(
        await ctx.call('POST', '/v1/reports', {
          token: a.reporterA,
          body: { externalRef: value, url: 'zz-text.com/' },
        }),
        'externalRef',
      );
      await refused(
        await ctx.call('POST', '/v1/reports', {
          token: a.reporterA,
          body: { externalRef: ref, url: 'zz-text.com/n', assessment: confirming(ctx, 3, { note: value }) },
        }),
        'assessment.note',
      );
      expect(await ctx.deps.db.select().from(reports).where(eq(reports.externalRef, ref))).toHaveLength(0);
    });

    it('in one item of a batch rejects that item and keeps the others', async () => {
      const refs = [next(), next(), next()];
      const res = await ctx.call('POST', '/v1/reports', {
        token: a.reporterA,
        body: {
          reports: [
            { externalRef: refs[0], url: `zz-batch-${refs[0]}.com/` },
            { externalRef: refs[1], url: `zz-batch.com/${value}` },
            { externalRef: refs[2], url: `zz-batch-${refs[2]}.com/`, assessment: confirming(ctx) },
          ],
        },
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.summary).toEqual({ created: 2, existing: 0, rejected: 1 });
      expect(body.results.find((r: { index: number }) => r.index === 1)).toMatchObject({
        status: 'rejected',
        error: { code: 'validation_failed', field: 'url' },
      });
      for (const [i, ref] of refs.entries())
        expect(await ctx.deps.db.select().from(reports).where(eq(reports.externalRef, ref!))).toHaveLength(
          i === 1 ? 0 : 1,
        );
    });

    it('in an NDJSON line rejects that line only', async () => {
      const refs = [next(), next(), next()];
      const lines = [
        { externalRef: refs[0], url: `zz-nd-${refs[0]}.com/` },
        { externalRef: refs[1], url: 'zz-nd.com/', assessment: confirming(ctx, 3, { analystRef: value }) },
        { externalRef: refs[2], url: `zz-nd-${refs[2]}.com/` },
      ];
      const res = await ctx.app.request('/v1/reports', {
        method: 'POST',
        headers: { authorization: `Bearer ${a.reporterA}`, 'content-type': 'application/x-ndjson' },
        body: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
      });
      expect(res.status).toBe(200);
      const out = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(out).toEqual([
        {
          line: 2,
          status: 'rejected',
          error: { code: 'validation_failed', field: 'assessment.analystRef', message: expect.any(String) },
        },
        {
          summary: {
            lines: 3,
            created: 2,
            existing: 0,
            rejected: 1,
            known: { url: 0, key: 0, listed: 0, content: 0 },
          },
        },
      ]);
    });

    it('in an assessment note or an observation note is a 422', async () => {
      const { id } = await ok<{ id: number }>(
        ctx.call('POST', '/v1/reports', { token: a.reporterA, body: { externalRef: next(), url: 'zz-note.com/' } }),
      );
      await refused(
        await ctx.call('POST', `/v1/reports/${id}/assessments`, {
          token: a.reporterB,
          body: confirming(ctx, 3, { note: value }),
        }),
        'note',
      );
      await refused(
        await ctx.call('POST', `/v1/reports/${id}/observations`, {
          token: a.analyst,
          body: { online: true, observedAt: ctx.now().toISOString(), note: value },
        }),
        'note',
      );
      const batch = await ok<{ summary: unknown; results: { index: number; status: string; error?: unknown }[] }>(
        ctx.call('POST', '/v1/observations', {
          token: a.analyst,
          body: {
            observations: [
              { reportId: id, online: true, observedAt: ctx.now().toISOString(), note: value },
              { reportId: id, online: true, observedAt: ctx.now().toISOString(), note: 'fine' },
            ],
          },
        }),
      );
      expect(batch.summary).toEqual({ recorded: 1, rejected: 1 });
      expect(batch.results[0]).toMatchObject({ status: 'rejected', error: { field: 'note' } });
    });

    it('in an organisation name, a credential label or a webhook URL is a 422', async () => {
      await refused(
        await ctx.call('POST', '/v1/organisations', {
          token: a.admin,
          body: { name: `ZZ ${value}`, kind: 'hotline', country: 'SE' },
        }),
        'name',
      );
      await refused(
        await ctx.call('POST', '/v1/credentials', {
          token: a.admin,
          body: { organisationId: a.orgs.hotlineA, role: 'reporter', label: value },
        }),
        'label',
      );
      await refused(
        await ctx.call('POST', '/v1/webhooks', { token: a.ncb, body: { url: `https://ncb.example/${value}` } }),
        'url',
      );
    });

    it('in an exclusion reason is a 422', async () => {
      await refused(
        await ctx.call('POST', '/v1/domains/zz-excl.com/exclusion', {
          token: a.analyst,
          body: { reason: `because ${value}` },
        }),
        'reason',
      );
    });

    it('in the delisting form is a 422', async () => {
      for (const field of ['domain', 'contact', 'statement'] as const) {
        const payload = {
          domain: 'zz-unlisted.com',
          contact: `owner-${next()}@zz-site.example`,
          statement: 'This is my small business site; please review it.',
        };
        payload[field] = `${payload[field]}${value}`;
        await refused(
          await ctx.app.request(
            '/v1/delisting-requests',
            { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
            { incoming: { socket: { remoteAddress: `198.51.100.${++sequence % 250}` } } },
          ),
          field,
        );
      }
    });
  });

  it('still accepts well-formed text outside the BMP (a surrogate pair)', async () => {
    const ref = `pair-😀-${next()}`;
    const res = await ctx.call('POST', '/v1/reports', {
      token: a.reporterA,
      body: { externalRef: ref, url: 'zz-pair.com/😀', assessment: confirming(ctx, 3, { note: 'ok 😀' }) },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const [stored] = await ctx.deps.db.select().from(reports).where(eq(reports.externalRef, ref));
    expect(stored?.externalRef).toBe(ref);
  });
});
