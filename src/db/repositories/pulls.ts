/** Pull records: who pulled which version and format, when, with what answer. */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../database.ts';
import { pulls } from '../schema.ts';

export type NewPull = typeof pulls.$inferInsert;

export async function insertPulls(db: Db, rows: readonly NewPull[]): Promise<void> {
  if (rows.length > 0) await db.insert(pulls).values([...rows]);
}

/**
 * Organisations of one kind, each with its newest pull (over all its credentials): the ISPs of
 * one country for their NCB, or every NCB for the central operator (a national instance's syncs
 * are its NCB key's pulls).
 */
export async function pullStatus(db: Db, filter: { kind: 'isp' | 'ncb'; country?: string }) {
  return queryRows<{
    organisation_id: number;
    name: string;
    country: string;
    credentials: number | string;
    active_credentials: number | string;
    version: number | null;
    format: string | null;
    at: Date | string | null;
  }>(
    db,
    sql`select o.id as organisation_id, o.name, o.country,
               (select count(*) from credentials c where c.organisation_id = o.id) as credentials,
               (select count(*) from credentials c where c.organisation_id = o.id and c.revoked_at is null) as active_credentials,
               p.version, p.format, p.at
        from organisations o
        left join lateral (
          select p.version, p.format, p.at from pulls p join credentials c on c.id = p.credential_id
          where c.organisation_id = o.id and p.version is not null order by p.at desc, p.id desc limit 1
        ) p on true
        where o.kind = ${filter.kind} ${filter.country === undefined ? sql`` : sql`and o.country = ${filter.country}`}
        order by o.name`,
  );
}

/**
 * The zone transfers of the ISP credentials of one country (issue 18): each credential that
 * has a TSIG key or has transferred, with its transfers by AXFR and IXFR, the newest version it
 * holds (its serial: serials only rise) and when it last transferred or was told it is current.
 */
export async function ispZoneTransfers(db: Db, country: string, now: Date) {
  return queryRows<{
    organisation_id: number;
    credential_id: number;
    label: string;
    usable_keys: number | string;
    axfr: number | string;
    ixfr: number | string;
    serial: number | null;
    last_via: string | null;
    last_at: Date | string | null;
  }>(
    db,
    sql`select c.organisation_id, c.id as credential_id, c.label,
               (select count(*) from tsig_keys k where k.credential_id = c.id and k.revoked_at is null
                  and c.revoked_at is null and (c.expires_at is null or c.expires_at > ${now.toISOString()}::timestamptz)) as usable_keys,
               coalesce(sum(p.count) filter (where p.via = 'axfr' and p.status = 200), 0) as axfr,
               coalesce(sum(p.count) filter (where p.via = 'ixfr' and p.status = 200), 0) as ixfr,
               max(p.version) as serial,
               (array_agg(p.via order by p.at desc, p.id desc) filter (where p.id is not null))[1] as last_via,
               max(p.at) as last_at
        from credentials c
        join organisations o on o.id = c.organisation_id
        left join pulls p on p.credential_id = c.id and p.via is not null and p.version is not null
        where o.kind = 'isp' and o.country = ${country} and c.role = 'isp'
          and (p.id is not null or exists (select 1 from tsig_keys k where k.credential_id = c.id))
        group by c.id, c.organisation_id, c.label
        order by c.label, c.id`,
  );
}
