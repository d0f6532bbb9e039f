/** The append-only audit log: every write records who, what, when and from where. */
import type { Db } from '../database.ts';
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
