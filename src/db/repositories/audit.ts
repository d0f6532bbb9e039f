/** The append-only audit log: every write records who, what, when and from where. */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, intArray, queryRows } from '../database.ts';
import { auditLog } from '../schema.ts';

export interface AuditEntry {
  actor: number | null;
  action: string;
  subject: string;
  detail?: Record<string, unknown>;
  ip?: string | null;
  at: Date;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, detail: entry.detail ?? {} });
}

/** Who a credential is, as people are named on the console: its label, role and organisation. */
export interface Person {
  id: number;
  label: string;
  role: string;
  organisation: string | null;
}

const personSql = sql`c.id, c.label, c.role, o.name as organisation
  from credentials c left join organisations o on o.id = c.organisation_id`;

/** The people behind credential ids (unknown ids are left out). */
export async function peopleByIds(db: Db, ids: readonly number[]): Promise<Map<number, Person>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<Person>(db, sql`select ${personSql} where c.id = any(${intArray(ids)})`);
  return new Map(rows.map((p) => [p.id, p]));
}

/** Everyone who has written something audited, by label: the audit page's choice of person. */
export async function auditedPeople(db: Db): Promise<Person[]> {
  return queryRows<Person>(
    db,
    sql`select ${personSql} where c.id in (select distinct actor from audit_log where actor is not null)
        order by c.label, c.id`,
  );
}

export interface AuditFilter {
  actor?: number | undefined;
  /** Entries about this list key: its own decisions, and others that name it (delisting requests). */
  listKey?: string | undefined;
  /** Inclusive bounds on when. */
  from?: Date | undefined;
  to?: Date | undefined;
  /** Entries older than this id (the previous page's last). */
  before?: number | undefined;
  limit: number;
}

/** The filter as conditions on audit_log (alias `a`). */
function auditWhere(filter: Omit<AuditFilter, 'limit'>): SQL {
  const conditions = [
    filter.actor !== undefined ? sql`a.actor = ${filter.actor}` : undefined,
    filter.listKey !== undefined
      ? sql`(a.subject = ${`domain:${filter.listKey}`} or a.detail ->> 'listKey' = ${filter.listKey})`
      : undefined,
    filter.from ? sql`a.at >= ${filter.from.toISOString()}::timestamptz` : undefined,
    filter.to ? sql`a.at <= ${filter.to.toISOString()}::timestamptz` : undefined,
    filter.before !== undefined ? sql`a.id < ${filter.before}` : undefined,
  ].filter((c) => c !== undefined);
  return conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`;
}

/** Audit entries, newest first, with their actors named. */
export async function listAudit(db: Db, filter: AuditFilter) {
  const rows = await queryRows<{
    id: number | string;
    actor: number | null;
    action: string;
    subject: string;
    detail: Record<string, unknown>;
    at: Date | string;
  }>(
    db,
    sql`select a.id, a.actor, a.action, a.subject, a.detail, a.at from audit_log a
        where ${auditWhere(filter)} order by a.id desc limit ${filter.limit}`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), at: new Date(r.at) }));
}

/** How many entries the filter matches on every page (measured at 100,000 in test/console-perf.test.ts). */
export async function countAudit(db: Db, filter: Omit<AuditFilter, 'limit' | 'before'>): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from audit_log a where ${auditWhere(filter)}`,
  );
  return Number(row?.n ?? 0);
}
