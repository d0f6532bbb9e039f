/**
 * Observations: a report observed offline stops counting at the next build, a later online
 * observation makes it count again, and the explanation says which criterion fails because of it.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, observations } from '../src/db/schema.ts';
import { type Actors, confirming, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed, report } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

interface Line {
  name: string;
  pass: boolean;
  observed: unknown;
  note?: string;
}
interface Explanation {
  state: string;
  evaluation: { included: boolean; criteria: Line[] };
  evidence: { reports: number; offlineReports: number };
}
const explain = (key: string) => ok<Explanation>(ctx.call('GET', `/v1/domains/${key}`, { token: a.analyst }));
const line = (e: Explanation, name: string) => e.evaluation.criteria.find((c) => c.name === name)!;
const failing = (e: Explanation) => e.evaluation.criteria.filter((c) => !c.pass).map((c) => c.name);
const daysAgo = (days: number) => new Date(ctx.now().getTime() - days * 86_400_000).toISOString();

/** A report by A (SE) that B (IT) confirms too: on its own it meets the default criteria. */
async function qualifyingReport(url: string): Promise<number> {
  const [id] = await report(ctx, a, url, { from: [a.reporterA] });
  await ok(ctx.call('POST', `/v1/reports/${id}/assessments`, { token: a.reporterB, body: confirming(ctx) }));
  return id!;
}

const observe = (id: number, online: boolean, at = daysAgo(0), token = a.reporterC) =>
  ctx.call('POST', `/v1/reports/${id}/observations`, { token, body: { online, observedAt: at, note: 'checked' } });

describe(`observations on ${databaseName}`, () => {
  it('keeps a domain listed when one of two qualifying reports is observed offline, and says so', async () => {
    const [x] = [await qualifyingReport('http://zz-two.com/a'), await qualifyingReport('http://zz-two.com/b')];
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-two.com');

    const recorded = await ok<{ id: number; reportId: number; online: boolean; note: string }>(observe(x!, false), 201);
    expect(recorded).toMatchObject({ reportId: x, online: false, note: 'checked' });
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-two.com');
    const why = await explain('zz-two.com');
    expect(why.evaluation.included).toBe(true);
    expect(why.evidence).toMatchObject({ reports: 2, offlineReports: 1 });
    expect(line(why, 'reportsOnline')).toMatchObject({
      pass: true,
      observed: '1 of 2 (1 observed offline)',
      note: '1 report of 2 observed offline; their assessments no longer count',
    });
  });

  it('takes a domain off at the next build once every report is observed offline, and back when one is online', async () => {
    const ids = [await qualifyingReport('http://zz-gone.com/a'), await qualifyingReport('http://www.zz-gone.com/b')];
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-gone.com');

    // Bulk form, by id and by the reporter's own external reference.
    const ref = (await ok<{ externalRef: string }>(ctx.call('GET', `/v1/reports/${ids[1]}`, { token: a.reporterA })))
      .externalRef;
    const bulk = await ok<{ summary: { recorded: number } }>(
      ctx.call('POST', '/v1/observations', {
        token: a.reporterA,
        body: {
          observations: [
            { reportId: ids[0], online: false, observedAt: daysAgo(1) },
            { externalRef: ref, online: false, observedAt: daysAgo(1) },
          ],
        },
      }),
    );
    expect(bulk.summary.recorded).toBe(2);
    expect(await listed(ctx, a)).toContain('zz-gone.com'); // nothing changes before the build
    expect((await build(ctx, a)).removed).toBe(1);
    expect(await listed(ctx, a)).not.toContain('zz-gone.com');

    const why = await explain('zz-gone.com');
    expect(why.evaluation.included).toBe(false);
    expect(line(why, 'reportsOnline')).toMatchObject({ pass: false, observed: '0 of 2 (2 observed offline)' });
    expect(line(why, 'confirmingOrganisations')).toMatchObject({
      pass: false,
      note: 'fails because 2 reports observed offline no longer count',
    });

    // An online observation older than the offline one changes nothing: the latest observation counts.
    await ok(observe(ids[0]!, true, daysAgo(2)), 201);
    await build(ctx, a);
    expect(await listed(ctx, a)).not.toContain('zz-gone.com');

    await ok(observe(ids[0]!, true), 201);
    expect((await build(ctx, a)).added).toBe(1);
    expect(await listed(ctx, a)).toContain('zz-gone.com');
    expect(line(await explain('zz-gone.com'), 'reportsOnline').observed).toBe('1 of 2 (1 observed offline)');
  });

  it('names the criteria that fail because a needed report is observed offline', async () => {
    const [fromA] = await report(ctx, a, 'http://zz-needed.com/x'); // A (SE) and B (IT), one assessment each
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-needed.com');
    await ok(observe(fromA!, false, daysAgo(0), a.analyst), 201);
    await build(ctx, a);
    expect(await listed(ctx, a)).not.toContain('zz-needed.com');
    const why = await explain('zz-needed.com');
    expect(failing(why)).toEqual(['confirmingOrganisations', 'confirmingCountries']);
    for (const name of failing(why))
      expect(line(why, name).note).toBe('fails because 1 report observed offline no longer counts');
    expect(line(why, 'reportsOnline')).toMatchObject({ pass: true, observed: '1 of 2 (1 observed offline)' });
  });

  it('does not blame offline reports for a criterion they do not decide', async () => {
    const [fromA] = await report(ctx, a, 'http://zz-mild.com/x', { assessment: { severity: 2 } });
    await ok(observe(fromA!, false), 201);
    const why = await explain('zz-mild.com');
    expect(line(why, 'severity').pass).toBe(false);
    expect(line(why, 'severity').note).toBeUndefined();
  });

  it('refuses dates in the future, unknown reports and credentials without an organisation', async () => {
    const [id] = await report(ctx, a, 'http://zz-future.com/x', { from: [a.reporterA] });
    const future = new Date(ctx.now().getTime() + 3_600_000).toISOString();
    const res = await observe(id!, false, future);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'date_in_future', errors: [{ field: 'observedAt' }] });
    expect((await observe(999_999, false)).status).toBe(404);
    expect((await observe(id!, false, '2026-13-01T00:00:00Z')).status).toBe(422);
    expect((await observe(id!, false, daysAgo(0), a.admin)).status).toBe(422); // the bootstrap admin has no organisation
  });

  it('answers a bulk form per item, writes the good ones together with one audit row', async () => {
    const [mine] = await report(ctx, a, 'http://zz-bulk.com/mine', { from: [a.reporterA] });
    const [theirs] = await report(ctx, a, 'http://zz-bulk.com/theirs', { from: [a.reporterB] });
    const theirRef = (
      await ok<{ externalRef: string }>(ctx.call('GET', `/v1/reports/${theirs}`, { token: a.reporterB }))
    ).externalRef;
    const mineRef = (await ok<{ externalRef: string }>(ctx.call('GET', `/v1/reports/${mine}`, { token: a.reporterA })))
      .externalRef;
    const auditsBefore = await ctx.deps.db.$count(auditLog, eq(auditLog.action, 'observation.record'));
    const result = await ok<{
      summary: { recorded: number; rejected: number };
      results: { index: number; status: string; reportId?: number; error?: { code: string; field?: string } }[];
    }>(
      ctx.call('POST', '/v1/observations', {
        token: a.reporterA,
        body: {
          observations: [
            { reportId: mine, online: false, observedAt: daysAgo(1) },
            { reportId: theirs, online: false, observedAt: daysAgo(1), note: 'another organisation’s report' },
            { externalRef: mineRef, online: true, observedAt: daysAgo(0) },
            { externalRef: theirRef, online: false, observedAt: daysAgo(1) }, // not this organisation's reference
            { reportId: 999_999, online: false, observedAt: daysAgo(1) },
            { reportId: mine, online: false, observedAt: new Date(ctx.now().getTime() + 86_400_000).toISOString() },
            { reportId: mine, externalRef: mineRef, online: false, observedAt: daysAgo(1) },
            { reportId: mine, online: 'no', observedAt: daysAgo(1) },
          ],
        },
      }),
    );
    expect(result.summary).toEqual({ recorded: 3, rejected: 5 });
    expect(result.results.map((r) => [r.index, r.status, r.error?.code ?? r.reportId])).toEqual([
      [0, 'recorded', mine],
      [1, 'recorded', theirs],
      [2, 'recorded', mine],
      [3, 'rejected', 'unknown_report'],
      [4, 'rejected', 'unknown_report'],
      [5, 'rejected', 'date_in_future'],
      [6, 'rejected', 'validation_failed'],
      [7, 'rejected', 'validation_failed'],
    ]);
    expect(result.results[3]!.error!.field).toBe('externalRef');
    expect(result.results[7]!.error!.field).toBe('online');
    expect(
      await ctx.deps.db.$count(
        observations,
        and(eq(observations.reportId, mine!), eq(observations.organisationId, a.orgs.hotlineA)),
      ),
    ).toBe(2);
    expect(await ctx.deps.db.$count(auditLog, eq(auditLog.action, 'observation.record'))).toBe(auditsBefore + 1);

    const nothing = await ok<{ summary: { recorded: number; rejected: number } }>(
      ctx.call('POST', '/v1/observations', {
        token: a.reporterA,
        body: { observations: [{ reportId: 999_999, online: false, observedAt: daysAgo(1) }] },
      }),
    );
    expect(nothing.summary).toEqual({ recorded: 0, rejected: 1 });
    expect(await ctx.deps.db.$count(auditLog, eq(auditLog.action, 'observation.record'))).toBe(auditsBefore + 1);
    const tooMany = await ctx.call('POST', '/v1/observations', {
      token: a.reporterA,
      body: { observations: Array.from({ length: 10_001 }, () => ({})) },
    });
    expect(tooMany.status).toBe(422);
  });

  it('takes 10,000 observations in one request', async () => {
    const [id] = await report(ctx, a, 'http://zz-many.com/x', { from: [a.reporterA] });
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      reportId: id,
      online: i % 2 === 0,
      observedAt: new Date(ctx.now().getTime() - (10_000 - i) * 1000).toISOString(),
    }));
    const result = await ok<{ summary: { recorded: number; rejected: number } }>(
      ctx.call('POST', '/v1/observations', { token: a.analyst, body: { observations: items } }),
    );
    expect(result.summary).toEqual({ recorded: 10_000, rejected: 0 });
    const why = await explain('zz-many.com');
    expect(why.evidence.offlineReports).toBe(1); // the last item (odd index) says offline
  });
});
