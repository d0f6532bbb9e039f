/**
 * The console's domain page shows known material (issue 21): a report whose item carries a hash
 * classified on another report is listed with that classification, in counts, never naming who
 * classified it, as the API's evidence.knownContent says; a domain without matches says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, confirming, createActors, ok } from './support/actors.ts';
import { ConsoleClient } from './support/console.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

const SHA256 = 'cd'.repeat(32);
let ctx: TestContext;
let a: Actors;
let matchedReport: number;
beforeAll(async () => {
  ctx = await createTestContext({ WOL_SESSION_SECRET: 's'.repeat(48) });
  a = await createActors(ctx);
  // A classifies an item on one domain, naming its hash; C reports the same item on another domain.
  await ok(
    ctx.call('POST', '/v1/reports', {
      token: a.reporterA,
      body: {
        externalRef: 'kc-1',
        url: 'http://zz-kc-origin.example/a.jpg',
        assessment: {
          ...confirming(ctx),
          contentType: 'image',
          contentHashes: [{ algorithm: 'sha256', value: SHA256 }],
        },
      },
    }),
  );
  matchedReport = (
    await ok<{ id: number }>(
      ctx.call('POST', '/v1/reports', {
        token: a.reporterC,
        body: {
          externalRef: 'kc-2',
          url: 'http://zz-kc-mirror.example/b.jpg',
          contentHashes: [{ algorithm: 'sha256', value: SHA256 }],
        },
      }),
    )
  ).id;
});
afterAll(() => ctx.close());

const knownCard = (html: string) => /<section[^>]*aria-labelledby="known-material"[\s\S]*?<\/section>/.exec(html)?.[0];

describe(`the console's known material on ${databaseName}`, () => {
  it('shows the match on the domain page as the API carries it, naming no organisation', async () => {
    const api = await ok<{ evidence: { knownContent: { reportId: number; organisations: number }[] } }>(
      ctx.call('GET', '/v1/domains/zz-kc-mirror.example', { token: a.analyst }),
    );
    expect(api.evidence.knownContent).toEqual([expect.objectContaining({ reportId: matchedReport, organisations: 1 })]);

    const client = new ConsoleClient(ctx);
    expect((await client.signIn(a.analyst)).status).toBe(303);
    const page = await client.get(await client.domainPath('zz-kc-mirror.example'));
    expect(page.status).toBe(200);
    const card = knownCard(page.html);
    expect(card, 'a known-material card').toBeDefined();
    expect(card).toContain('<h2 id="known-material">Known material</h2>');
    expect(card).toContain('<code>http://zz-kc-mirror.example/b.jpg</code>');
    expect(card).toContain(`(report ${matchedReport})`);
    expect(card).toContain('confirmed');
    expect(card).toContain('real child, apparent age prepubescent, severity 7, image');
    // Hashes matched, assessments, organisations, confirmed, meeting the per-item criteria: 1 each.
    expect(card!.match(/<td class="num">1<\/td>/g)).toHaveLength(5);
    expect(card).not.toContain('ZZ Hotline A');

    // The domain whose own assessment named the hash has no match elsewhere.
    const origin = knownCard((await client.get(await client.domainPath('zz-kc-origin.example'))).html);
    expect(origin).toContain('No report names a hash classified on another report.');
  });
});
