/**
 * Every console page answers within its budget with 100,000 listed domains. The list is
 * seeded with set-based SQL (reports, two confirming assessments each, listings, thirty
 * versions, exclusions, delisting requests, build runs, an audit row per report and exclusion,
 * the re-check queue and the domains' figures as a build records them, every listed domain
 * due), then each page is timed through app.request(): one warm-up, then the median of five. The target is 200 ms and each page's
 * figure is printed; the test fails at 1 s (CEILING_MS), which an indexed page on a loaded
 * machine stays far below and a scan of 100,000 rows does not (a timed test at the target itself
 * failed CI at 220 ms while other suites shared the cores).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, inTransaction, queryRows } from '../src/db/database.ts';
import { recordRecheckQueue } from '../src/db/repositories/review-queue.ts';
import { activeCriteria } from '../src/services/criteria.ts';
import { type Actors, createActors } from './support/actors.ts';
import { ConsoleClient } from './support/console.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';

const DOMAINS = 100_000;
const VERSIONS = 30;
const REMOVED_PER_VERSION = 50;
const CEILING_MS = 1000;

let ctx: TestContext;
let a: Actors;
let seedMs = 0;
let recheckRecordMs = 0;

async function seed() {
  await inTransaction(ctx.deps.db, async (tx) => {
    // Bulk loads are far quicker into tables without their secondary indexes, built afterwards in one pass each.
    const indexes = await queryRows<{ indexname: string; indexdef: string }>(
      tx,
      sql`select i.indexname, i.indexdef from pg_indexes i
          where i.schemaname = 'public' and i.tablename in ('reports', 'assessments', 'listings', 'exclusions', 'domain_figures')
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    );
    for (const index of indexes) await tx.execute(sql.raw(`drop index "${index.indexname}"`));
    await seedIn(tx);
    for (const index of indexes) await tx.execute(sql.raw(index.indexdef));
  });
  await ctx.deps.db.execute(sql`analyze`);
}

/** Foreign keys are not checked while seeding (session_replication_role): the rows are made consistent by construction. */
async function seedIn(db: Db) {
  await db.execute(sql`set local session_replication_role = replica`);
  const run = (query: ReturnType<typeof sql>) => db.execute(query);
  const [v1] = await queryRows<{ manifest: string; signing_kid: string; criteria_version: number }>(
    db,
    sql`select manifest, signing_kid, criteria_version from snapshots where version = 1`,
  );
  const at = ctx.now().toISOString();
  const seen = new Date(ctx.now().getTime() - 3 * 86_400_000).toISOString();
  await run(sql`
    insert into reports (organisation_id, external_ref, url, url_canonical, host, domain, list_key, observed_online_at, received_at)
    select ${a.orgs.hotlineA}, 'perf-' || i, 'http://' || k || '/', 'http://' || k || '/', k, k, k, ${seen}::timestamptz, ${at}::timestamptz
    from (select i, substr(md5(i::text), 1, 12) || '.perf.example' as k from generate_series(1, ${DOMAINS}) i) s`);
  for (const org of [a.orgs.hotlineA, a.orgs.agencyB])
    await run(sql`
      insert into assessments (report_id, organisation_id, observed_online_at, verdict, real_child, apparent_age, severity)
      select id, ${org}, ${seen}::timestamptz, 'confirmed', true, 'prepubescent', 7 from reports where external_ref like 'perf-%'`);
  await run(sql`
    insert into snapshots (version, previous_version, created_at, criteria_version, entry_count, list_sha256, manifest,
                           manifest_sha256, previous_manifest_sha256, added_count, removed_count, signing_kid, expires_at)
    select v, v - 1, ${at}::timestamptz - make_interval(hours => ${VERSIONS + 1} - v), ${v1!.criteria_version},
           (select entry_count from snapshots where version = 1) + ${DOMAINS} - (v - 2) * ${REMOVED_PER_VERSION},
           md5(v::text) || md5(v::text), ${v1!.manifest}, md5('m' || v) || md5('m' || v), md5('m' || (v - 1)) || md5('m' || (v - 1)),
           case when v = 2 then ${DOMAINS} else 0 end, case when v = 2 then 0 else ${REMOVED_PER_VERSION} end,
           ${v1!.signing_kid}, ${at}::timestamptz + interval '7 days'
    from generate_series(2, ${VERSIONS + 1}) v`);
  await run(
    sql`insert into listings (list_key, added_version) select list_key, 2 from reports where external_ref like 'perf-%'`,
  );
  // The figures the build records for each key (domain_figures): last seen spread over the criteria's window.
  await run(sql`
    insert into domain_figures (list_key, latest_ms, confirming_organisations, confirming_countries)
    select list_key, (extract(epoch from ${seen}::timestamptz) * 1000)::bigint - (id % 80) * 86400000::bigint, 2, 2
    from reports where external_ref like 'perf-%'`);
  // Each later version removes some keys, excluded by an analyst.
  await run(sql`
    with doomed as (
      select id, list_key, 3 + (row_number() over (order by id) - 1) / ${REMOVED_PER_VERSION} as v
      from listings where added_version = 2 order by id limit ${(VERSIONS - 1) * REMOVED_PER_VERSION}
    ), closed as (
      update listings l set removed_version = d.v from doomed d where l.id = d.id returning l.list_key
    )
    insert into exclusions (list_key, state, reason, decided_at) select list_key, 'excluded', 'seeded', ${at}::timestamptz from closed`);
  await run(sql`
    insert into delisting_requests (list_key, host, contact, statement, dedupe_key, created_at)
    select list_key, list_key, 'owner@example.org', 'please review this listing', md5('dl' || id), ${at}::timestamptz
    from listings where added_version = 2 and removed_version is null order by id limit 500`);
  // Every report audited as intake does, and an analyst's exclusion of each excluded key.
  await run(sql`
    insert into audit_log (actor, action, subject, detail, at)
    select null, 'report.submit', 'report:' || id, jsonb_build_object('listKey', list_key), ${at}::timestamptz
    from reports where external_ref like 'perf-%'`);
  await run(sql`
    insert into audit_log (actor, action, subject, detail, at)
    select null, 'domain.exclude', 'domain:' || list_key, jsonb_build_object('reason', 'seeded'), ${at}::timestamptz
    from exclusions`);
  await run(sql`
    insert into build_runs (trigger, started_at, duration_ms, outcome, version, added, removed)
    select 'schedule', ${at}::timestamptz - make_interval(mins => i), 900 + i, 'unchanged', ${VERSIONS + 1}, 0, 0
    from generate_series(1, 500) i`);
}

describe(`console page timings on ${databaseName} with ${DOMAINS.toLocaleString('en')} listed domains`, () => {
  beforeAll(async () => {
    // A review age of one day puts every listed domain (confirmed three days ago) in the re-check queue.
    ctx = await createTestContext({ WOL_REVIEW_AFTER_DAYS: '1' });
    a = await createActors(ctx);
    await report(ctx, a, 'http://perf-real.example/');
    await build(ctx, a);
    const t0 = performance.now();
    await seed();
    seedMs = performance.now() - t0;
    // What each build now spends recording the re-check queue (recheck_queue), timed on its own.
    const criteria = (await inTransaction(ctx.deps.db, activeCriteria)).definition;
    const t1 = performance.now();
    await inTransaction(ctx.deps.db, (tx) => recordRecheckQueue(tx, criteria, null));
    recheckRecordMs = performance.now() - t1;
    await ctx.deps.db.execute(sql`analyze recheck_queue`);
  }, 120_000);
  afterAll(() => ctx?.close());

  it("records the re-check queue in the build's transaction, and says what the live computation costs", async () => {
    const [recorded] = await queryRows<{ n: number | string }>(
      ctx.deps.db,
      sql`select count(*) as n from recheck_queue`,
    );
    console.log(
      `the build records the re-check queue of ${Number(recorded!.n)} listings in ${Math.round(recheckRecordMs)} ms on ${databaseName}`,
    );
    const t0 = performance.now();
    const live = await ctx.call('GET', '/v1/review-queue', { token: a.analyst });
    const liveMs = performance.now() - t0;
    expect(live.status).toBe(200);
    const { total } = (await live.json()) as { total: number };
    console.log(`GET /v1/review-queue computes it live: ${total} due in ${Math.round(liveMs)} ms on ${databaseName}`);
    expect(total).toBeGreaterThan(90_000);
  }, 120_000);

  it('seeds quickly enough to run on every change', () => {
    console.log(`seeded ${DOMAINS} domains in ${Math.round(seedMs)} ms`);
    expect(seedMs).toBeLessThan(30_000);
  });

  it('answers every page far below a scan of the list', async () => {
    const analyst = new ConsoleClient(ctx);
    expect((await analyst.signIn(a.analyst)).status).toBe(303);
    const ncb = new ConsoleClient(ctx);
    expect((await ncb.signIn(a.ncb)).status).toBe(303);
    const admin = new ConsoleClient(ctx);
    expect((await admin.signIn(a.admin)).status).toBe(303);
    const recheckNext = /href="([^"]+)" rel="next">Next page/.exec(
      (await analyst.get('/console/recheck-queue')).html,
    )![1]!;
    const [listed] = await queryRows<{ list_key: string }>(
      ctx.deps.db,
      sql`select list_key from listings where removed_version is null and added_version = 2 order by id desc limit 1`,
    );
    const [excluded] = await queryRows<{ list_key: string }>(ctx.deps.db, sql`select list_key from exclusions limit 1`);
    const middle = listed!.list_key.slice(0, 6);
    // Pages that name a domain are reached as the console links them: sealed, from a search (refs.ts).
    const results = async (q: string, state = '') => (await analyst.post('/console/domains', { q, state })).location!;
    await analyst.get('/console/domains');
    const nextPage = /href="([^"]+)" rel="next">Next page/.exec(
      (await analyst.get(await results('', 'listed'))).html,
    )![1]!;
    const [listedPath, excludedPath] = [
      await analyst.domainPath(listed!.list_key),
      await analyst.domainPath(excluded!.list_key),
    ];
    // The table's other orders, reached by their column headers as an analyst would.
    const sortedBy = async (path: string, label: string) =>
      new RegExp(`<a href="([^"]+)">${label}`).exec((await analyst.get(path)).html)![1]!.replaceAll('&amp;', '&');
    const listedNewest = await sortedBy(await results('', 'listed'), 'Last seen');
    const listedOldest = await sortedBy(listedNewest, 'Last seen');
    const listedMost = await sortedBy(await results('', 'listed'), 'Confirmations');
    const listedZtoA = await sortedBy(await results('', 'listed'), 'Domain');
    const nextSorted = /href="([^"]+)" rel="next">Next page/.exec((await analyst.get(listedNewest)).html)![1]!;
    const anyNewest = await sortedBy('/console/domains', 'Last seen');
    const excludedNewest = await sortedBy(await results('', 'excluded'), 'Last seen');
    const prefixNewest = await sortedBy(await results(middle.slice(0, 2)), 'Last seen');
    const hostLookup = await results(`img.${listed!.list_key}`);
    const urlLookup = await results(`https://www.${listed!.list_key}/a/b.jpg?x=1`);
    const addedPage = /href="([^"]+)">More added keys/.exec((await analyst.get('/console/versions/2')).html)![1]!;
    await analyst.get('/console/audit');
    const auditByDomain = (await analyst.post('/console/audit', { domain: excluded!.list_key })).location!;
    await analyst.get('/console/audit');
    const auditByDay = (await analyst.post('/console/audit', { from: ctx.now().toISOString().slice(0, 10) })).location!;
    const auditOlder = /href="([^"]+)" rel="next">/.exec((await analyst.get('/console/audit')).html)![1]!;
    const pages: [ConsoleClient, string, string?][] = [
      [analyst, '/console'],
      [analyst, '/console?range=24h'],
      [analyst, '/console?range=30d'],
      [analyst, '/console/domains'],
      [analyst, await results('', 'listed')],
      [analyst, nextPage.replaceAll('&amp;', '&')],
      [analyst, await results('', 'candidate')],
      [analyst, await results('', 'excluded')],
      [analyst, await results(middle.slice(0, 2))],
      [analyst, await results(middle.slice(0, 2), 'listed')],
      [analyst, listedNewest, 'listed, by last seen, newest first'],
      [analyst, listedOldest, 'listed, by last seen, oldest first'],
      [analyst, listedMost, 'listed, by confirmations, most first'],
      [analyst, listedZtoA, 'listed, by name, Z to A'],
      [analyst, nextSorted.replaceAll('&amp;', '&'), 'listed, by last seen, newest first, page 2'],
      [analyst, anyNewest, 'any state, by last seen, newest first'],
      [analyst, excludedNewest, 'excluded, by last seen, newest first'],
      [analyst, prefixNewest, 'two-letter prefix, by last seen, newest first'],
      [analyst, hostLookup],
      [analyst, urlLookup],
      [analyst, listedPath],
      [analyst, excludedPath],
      [analyst, '/console/builds'],
      [analyst, `/console/builds?before=${VERSIONS - 10}`],
      [analyst, '/console/versions/2'],
      [analyst, addedPage.replaceAll('&amp;', '&')],
      [analyst, `/console/versions/${VERSIONS + 1}`],
      [analyst, '/console/delisting'],
      [analyst, '/console/delisting?state=rejected'],
      [analyst, '/console/audit'],
      [analyst, auditByDomain],
      [analyst, auditByDay],
      [analyst, auditOlder.replaceAll('&amp;', '&'), 'audit, page 2'],
      [ncb, '/console/ncb'],
      [analyst, '/console/recheck-queue'],
      [analyst, recheckNext.replaceAll('&amp;', '&')],
      [analyst, '/console/pending-exclusions'],
      [admin, '/console'],
      [admin, '/console/ncbs'],
    ];
    const timings: string[] = [];
    const slow: string[] = [];
    for (const [client, path, label] of pages) {
      const first = await client.get(path);
      expect(first.status, path).toBe(200);
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const res = await client.get(path);
        samples.push(performance.now() - t0);
        expect(res.status).toBe(200);
      }
      samples.sort((x, y) => x - y);
      const median = samples[2]!;
      timings.push(
        `${median.toFixed(1).padStart(7)} ms  (max ${samples[4]!.toFixed(1)})  ${label ? `${label}: ${path.slice(0, 40)}…` : path}`,
      );
      if (median >= CEILING_MS) slow.push(`${path}: ${median.toFixed(1)} ms`);
    }
    console.log(
      `console pages on ${databaseName}, median of 5 (sealed paths: search, next, look-ups by host and URL):\n${timings.join('\n')}`,
    );
    expect(slow).toEqual([]);
  }, 120_000);

  // A download rather than a page: read in keyset pages of 1,000, so its time grows with the list; timed, not budgeted.
  it('exports every listed domain as CSV', async () => {
    const analyst = new ConsoleClient(ctx);
    expect((await analyst.signIn(a.analyst)).status).toBe(303);
    await analyst.get('/console/domains');
    const results = await analyst.follow(await analyst.post('/console/domains', { q: '', state: 'listed' }));
    const href = /<a href="([^"]+)" download="">/.exec(results.html)![1]!;
    const t0 = performance.now();
    const res = await analyst.get(href);
    const ms = performance.now() - t0;
    expect(res.status).toBe(200);
    const [inForce] = await queryRows<{ n: number | string }>(
      ctx.deps.db,
      sql`select count(*) as n from listings where removed_version is null`,
    );
    const rows = res.html.split('\r\n').slice(1, -1);
    expect(rows.length).toBe(Number(inForce!.n));
    expect(new Set(rows.map((r) => r.split(',')[0])).size).toBe(rows.length);
    expect(rows.every((r) => r.endsWith(',listed,2') || r.endsWith(',listed,1'))).toBe(true);
    console.log(`CSV export of ${rows.length} listed domains on ${databaseName}: ${Math.round(ms)} ms`);
  }, 120_000);
});
