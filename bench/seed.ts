/**
 * A seeded, set-based generator of realistic evidence: many reports per domain from
 * several organisations and countries, a second independent assessment for half of them,
 * some stale, some failing a criterion, a few observed offline. Deterministic: the same
 * size always gives the same rows (a multiplicative hash of the row number, no random()).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/database.ts';

export const ORGANISATIONS = 12;
const countries = ['SE', 'IT', 'FR', 'DE', 'NL', 'ES'];

/** Empties the evidence and list tables (keys, credentials and organisations stay). */
export async function resetEvidence(db: Db): Promise<void> {
  await db.execute(
    sql`truncate observations, assessments, reports, exclusions, domain_policies, delisting_requests, artifacts, listings, timestamps, pulls, build_runs, audit_log, snapshots, key_evidence, evidence_changes, evidence_summary, domain_figures, confirmation_candidates, recheck_queue restart identity cascade`,
  );
}

export async function seedOrganisations(db: Db): Promise<void> {
  const rows = Array.from(
    { length: ORGANISATIONS },
    (_, i) => sql`(${`Bench org ${i + 1}`}, ${i % 2 ? 'agency' : 'hotline'}, ${countries[i % countries.length]!})`,
  );
  await db.execute(
    sql`insert into organisations (name, kind, country) values ${sql.join(rows, sql`, `)} on conflict do nothing`,
  );
}

/** `reports` reports over reports/10 list keys (at least 100), with ~1.5 assessments each. */
export async function seedEvidence(db: Db, reports: number, now: Date): Promise<{ listKeys: number }> {
  const keys = Math.max(100, Math.floor(reports / 10));
  const at = now.toISOString();
  // h(i) = (i * 2654435761) mod 2^32: a cheap, well-spread, reproducible hash of the row number.
  await db.execute(sql`
    insert into reports (organisation_id, external_ref, url, url_canonical, host, domain, list_key, reported_at, observed_online_at, received_at)
    select o.id, 'b' || i, u.url, u.url, u.host, u.domain, u.domain, ${at}::timestamptz - interval '1 day', null, ${at}::timestamptz
    from generate_series(1, ${reports}) as i
    cross join lateral (select 'zz-bench-' || ((i::bigint * 2654435761) % 4294967296 % ${keys}) || '.com' as domain) d
    cross join lateral (select 'h' || (i % 3) || '.' || d.domain as host) h
    cross join lateral (select 'http://' || h.host || '/p/' || i as url, h.host, d.domain) u
    join organisations o on o.name = 'Bench org ' || (1 + i % ${ORGANISATIONS})`);
  // Every report has its reporter's assessment; half get a second one from the next organisation (another country).
  // Per key (by a hash of the key): 20% never severe enough, 10% only seen long ago: they stay candidates.
  await db.execute(sql`
    insert into assessments (report_id, organisation_id, assessed_at, observed_online_at, verdict, real_child, apparent_age, severity, content_type)
    select r.id, r.organisation_id + s.k, ${at}::timestamptz,
           ${at}::timestamptz - make_interval(days => case when kh.h = 2 then 100 + (r.id % 60)::int else ((r.id::bigint * 40503 + s.k * 977) % 100)::int end),
           case when (r.id * 7 + s.k) % 10 = 0 then 'not_confirmed' else 'confirmed' end,
           (r.id * 13 + s.k) % 20 <> 0,
           case when (r.id * 17 + s.k) % 6 = 0 then 'pubescent' when (r.id + s.k) % 3 = 0 then 'infant_toddler' else 'prepubescent' end,
           case when kh.h < 2 then 1 + ((r.id + s.k) % 3)::int else 1 + ((r.id::bigint * 2246822519 + s.k) % 10)::int end,
           'image'
    from reports r
    cross join lateral (select abs(hashtext(r.list_key)) % 10 as h) kh
    cross join lateral (select 0 as k union all select 1 where r.id % 2 = 0) s
    where r.organisation_id + s.k <= (select max(id) from organisations)`);
  await db.execute(sql`
    insert into observations (report_id, organisation_id, observed_at, online)
    select r.id, r.organisation_id, ${at}::timestamptz - interval '1 hour', false from reports r where r.id % 50 = 0`);
  await db.execute(sql`analyze`);
  return { listKeys: keys };
}

/**
 * `keys` domains that each qualify: two confirming organisations from two countries. For
 * the pull and changes figures, which need a list of a given size rather than a shape.
 */
export async function seedQualifying(db: Db, keys: number, now: Date, prefix = 'zz-list-'): Promise<void> {
  const at = now.toISOString();
  await db.execute(sql`
    insert into reports (organisation_id, external_ref, url, url_canonical, host, domain, list_key, received_at)
    select o.id, ${prefix} || k || '-' || o.id, 'http://' || d, 'http://' || d || '/', d, d, d, ${at}::timestamptz
    from generate_series(1, ${keys}) k
    cross join lateral (select ${prefix} || k || '.com' as d) dd(d)
    cross join (select id from organisations where name in ('Bench org 1', 'Bench org 2')) o`);
  await db.execute(sql`
    insert into assessments (report_id, organisation_id, assessed_at, observed_online_at, verdict, real_child, apparent_age, severity)
    select r.id, r.organisation_id, ${at}::timestamptz, ${at}::timestamptz - interval '2 days', 'confirmed', true, 'prepubescent', 8
    from reports r where r.external_ref like ${`${prefix}%`}
    on conflict do nothing`);
  await db.execute(sql`analyze`);
}

/**
 * What a day's intake brings (issue 16): `reports` new reports over `keys` new domains, each
 * confirmed by two organisations of two countries, written as intake writes them (the
 * evidence triggers name each new key).
 */
export async function seedIncrement(db: Db, reports: number, keys: number, now: Date, prefix: string): Promise<void> {
  const at = now.toISOString();
  await db.execute(sql`
    insert into reports (organisation_id, external_ref, url, url_canonical, host, domain, list_key, received_at)
    select o.id, ${prefix} || i, u.url, u.url, u.d, u.d, u.d, ${at}::timestamptz
    from generate_series(1, ${reports}) i
    cross join lateral (select ${prefix} || (i % ${keys}) || '.com' as d) dd
    cross join lateral (select 'http://' || dd.d || '/p/' || i as url, dd.d) u
    join organisations o on o.name = 'Bench org ' || (1 + (i / ${keys}) % 2)`);
  await db.execute(sql`
    insert into assessments (report_id, organisation_id, assessed_at, observed_online_at, verdict, real_child, apparent_age, severity)
    select r.id, r.organisation_id, ${at}::timestamptz, ${at}::timestamptz - interval '1 day', 'confirmed', true, 'prepubescent', 8
    from reports r where r.external_ref like ${`${prefix}%`}`);
}
