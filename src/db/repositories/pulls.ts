/** Pull records: who pulled which version and format, when, with what answer. */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../database.ts';
import { pulls } from '../schema.ts';

export type NewPull = typeof pulls.$inferInsert;

export async function insertPulls(db: Db, rows: readonly NewPull[]): Promise<void> {
  if (rows.length > 0) await db.insert(pulls).values([...rows]);
}

/** The ISPs of one country, each with its newest pull (over all its credentials). */
export async function ispPullStatus(db: Db, country: string) {
  return queryRows<{
    organisation_id: number;
    name: string;
    credentials: number | string;
    active_credentials: number | string;
    version: number | null;
    format: string | null;
    at: Date | string | null;
  }>(
    db,
    sql`select o.id as organisation_id, o.name,
               (select count(*) from credentials c where c.organisation_id = o.id) as credentials,
               (select count(*) from credentials c where c.organisation_id = o.id and c.revoked_at is null) as active_credentials,
               p.version, p.format, p.at
        from organisations o
        left join lateral (
          select p.version, p.format, p.at from pulls p join credentials c on c.id = p.credential_id
          where c.organisation_id = o.id and p.version is not null order by p.at desc, p.id desc limit 1
        ) p on true
        where o.kind = 'isp' and o.country = ${country}
        order by o.name`,
  );
}
