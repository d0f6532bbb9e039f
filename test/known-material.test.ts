/**
 * Known on intake and by content hash (issue 21): a reporter is told what is already known
 * about what it submits, in counts, never who; a hash classified elsewhere marks an item known
 * and lists nothing by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, confirming, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed } from './support/evidence.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

const SHA256 = 'ab'.repeat(32);
const MD5 = 'C0FFEE00'.repeat(4);
let ref = 0;
const submit = (token: string, body: Record<string, unknown>) =>
  ctx.call('POST', '/v1/reports', { token, body: { externalRef: `km-${++ref}`, ...body } });

/** The organisation's name and id must appear nowhere in another organisation's answer. */
function expectNoOrganisation(text: string, name: string, id: number) {
  expect(text).not.toContain(name);
  expect(text).not.toMatch(new RegExp(`"organisation(Id)?"\\s*:\\s*\\{?[^,}]*${id}\\b`));
  expect(text).not.toContain('organisationId');
}

describe(`known on intake on ${databaseName}`, () => {
  it('tells a first reporter that nothing is known', async () => {
    const body = await ok<{ known: Record<string, Record<string, unknown>> }>(
      submit(a.reporterA, { url: 'http://img.zz-known.test/g/1', assessment: confirming(ctx) }),
    );
    expect(body.known.url).toMatchObject({ url: 'http://img.zz-known.test/g/1', reports: 0, qualifies: false });
    expect(body.known.listKey).toMatchObject({
      listKey: 'zz-known.test',
      reports: 0,
      confirmedAssessments: 0,
      listed: false,
      listedSince: null,
      excluded: false,
    });
    expect(body.known.content).toBeNull();
  });

  it('tells a second organisation what the first assessed, without naming it', async () => {
    const res = await submit(a.reporterB, { url: 'http://IMG.zz-known.test/g/1#x' });
    expect(res.status).toBe(201);
    const text = await res.text();
    expectNoOrganisation(text, 'ZZ Hotline A', a.orgs.hotlineA);
    const { known } = JSON.parse(text);
    expect(known.url).toEqual({
      url: 'http://img.zz-known.test/g/1',
      reports: 1,
      confirmedAssessments: 1,
      confirmingOrganisations: 1,
      confirmingCountries: 1,
      qualifies: false,
      failing: ['confirmingOrganisations', 'confirmingCountries'],
    });
    expect(known.listKey).toMatchObject({ reports: 1, confirmingCountries: 1, qualifies: false, listed: false });
  });

  it('says per item in a batch and in NDJSON, with the key listed since its version', async () => {
    await ok(submit(a.reporterB, { url: 'http://img.zz-known.test/g/2', assessment: confirming(ctx) }));
    const { version } = await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-known.test');

    const res = await ctx.call('POST', '/v1/reports', {
      token: a.reporterC,
      body: {
        reports: [
          { externalRef: 'km-batch-1', url: 'http://other.zz-known.test/new' },
          { externalRef: 'km-batch-2', url: 'http://zz-unknown.test/' },
          { externalRef: 'km-batch-3', url: 'ftp://zz-unknown.test/' },
        ],
      },
    });
    const text = await res.text();
    expectNoOrganisation(text, 'ZZ Hotline A', a.orgs.hotlineA);
    expectNoOrganisation(text, 'ZZ Agency B', a.orgs.agencyB);
    const { results } = JSON.parse(text);
    expect(results[0].known.url.reports).toBe(0);
    expect(results[0].known.listKey).toMatchObject({
      reports: 3,
      confirmingOrganisations: 2,
      confirmingCountries: 2,
      qualifies: true,
      failing: [],
      listed: true,
      listedSince: version,
    });
    expect(results[1].known.listKey).toMatchObject({ reports: 0, listed: false });
    expect(results[2]).toMatchObject({ status: 'rejected' });
    expect(results[2].known).toBeUndefined();

    const ndjson = await ctx.call('POST', '/v1/reports', {
      token: a.reporterC,
      headers: { 'content-type': 'application/x-ndjson' },
      body: [
        JSON.stringify({ externalRef: 'km-nd-1', url: 'http://zz-known.test/again' }),
        JSON.stringify({ externalRef: 'km-nd-2', url: 'http://zz-nothing.test/' }),
        'not json',
      ].join('\n'),
    });
    const lines = (await ndjson.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.line === 1)).toMatchObject({ status: 'created', known: { listKey: { listed: true } } });
    expect(lines.find((l) => l.line === 2)).toBeUndefined();
    expect(lines.find((l) => l.line === 3)).toMatchObject({ status: 'rejected' });
    expect(lines.at(-1).summary).toEqual({
      lines: 3,
      created: 2,
      existing: 0,
      rejected: 1,
      known: { key: 1, url: 0, listed: 1, content: 0 },
    });
  });

  it('lets analysts look up any URL or key, and no reporter', async () => {
    const known = await ok<{ listKey: { listed: boolean; reports: number } }>(
      ctx.call('GET', '/v1/known?url=zz-known.test', { token: a.analyst }),
    );
    expect(known.listKey).toMatchObject({ listed: true, reports: 5 });
    expect((await ctx.call('GET', '/v1/known?url=zz-known.test', { token: a.reporterA })).status).toBe(403);
    const bad = await ctx.call('GET', '/v1/known?url=ftp://zz.test', { token: a.analyst });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe(`known material by content hash on ${databaseName}`, () => {
  it('refuses a hash whose length or digits do not fit its algorithm', async () => {
    for (const contentHashes of [
      [{ algorithm: 'sha256', value: 'ab' }],
      [{ algorithm: 'md5', value: 'zz'.repeat(16) }],
      [{ algorithm: 'sha512', value: 'ab'.repeat(64) }],
    ]) {
      const res = await submit(a.reporterA, { url: 'http://zz-hash-bad.test/', contentHashes });
      expect(res.status).toBe(422);
    }
  });

  it('marks a report naming a classified hash known, and lists it only once the criteria pass', async () => {
    // A classifies an item on one domain, naming its hashes.
    await ok(
      submit(a.reporterA, {
        url: 'http://zz-hash-one.test/a.jpg',
        assessment: { ...confirming(ctx), contentHashes: [{ algorithm: 'sha256', value: SHA256 }] },
      }),
    );
    // C (same country as A) reports the same item on another domain, naming a hash in upper case.
    const res = await submit(a.reporterC, {
      url: 'http://zz-hash-two.test/b.jpg',
      contentHashes: [
        { algorithm: 'sha256', value: SHA256.toUpperCase() },
        { algorithm: 'md5', value: MD5 },
      ],
    });
    const text = await res.text();
    expectNoOrganisation(text, 'ZZ Hotline A', a.orgs.hotlineA);
    const body = JSON.parse(text);
    expect(body.known.content).toEqual({
      matchedHashes: 1,
      assessments: 1,
      organisations: 1,
      confirmed: 1,
      notConfirmed: 0,
      qualifying: 1,
      classification: {
        verdict: 'confirmed',
        realChild: true,
        apparentAge: 'prepubescent',
        severity: 7,
        contentType: null,
      },
    });
    await build(ctx, a);
    expect(await listed(ctx, a)).not.toContain('zz-hash-two.test');

    // The domain's evidence shows the match, and the explanation still fails on confirmations.
    const domain = await ok<{
      evaluation: { included: boolean };
      evidence: { knownContent: { reportId: number; url: string; organisations: number }[] };
    }>(ctx.call('GET', '/v1/domains/zz-hash-two.test', { token: a.analyst }));
    expect(domain.evaluation.included).toBe(false);
    expect(domain.evidence.knownContent).toEqual([
      expect.objectContaining({ reportId: body.id, url: 'http://zz-hash-two.test/b.jpg', organisations: 1 }),
    ]);

    // C confirms it (one country), then B (another country) assesses naming the md5: now it qualifies.
    const byC = await ok<{ knownContent: { assessments: number } | null }>(
      ctx.call('POST', `/v1/reports/${body.id}/assessments`, {
        token: a.reporterC,
        body: { ...confirming(ctx), contentHashes: [{ algorithm: 'md5', value: MD5 }] },
      }),
    );
    expect(byC.knownContent).toBeNull(); // the md5 is classified on this same report only
    await build(ctx, a);
    expect(await listed(ctx, a)).not.toContain('zz-hash-two.test');
    const byB = await ok<{ knownContent: { assessments: number } | null }>(
      ctx.call('POST', `/v1/reports/${body.id}/assessments`, {
        token: a.reporterB,
        body: { ...confirming(ctx), contentHashes: [{ algorithm: 'sha256', value: SHA256 }] },
      }),
    );
    expect(byB.knownContent).toMatchObject({ assessments: 1, organisations: 1 });
    await build(ctx, a);
    expect(await listed(ctx, a)).toContain('zz-hash-two.test');
  });
});
