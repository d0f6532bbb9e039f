/** Start-up: make sure the operator's bootstrap admin key exists (WOL_BOOTSTRAP_ADMIN_TOKEN). */
import { hashToken } from '../core/tokens.ts';
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { findCredentialByHash, insertCredential } from '../db/repositories/credentials.ts';
import type { Deps } from '../deps.ts';

export async function ensureBootstrapAdmin(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  await inTransaction(deps.db, async (tx) => {
    const existing = await findCredentialByHash(tx, tokenHash);
    if (existing && existing.role === 'admin' && !existing.revokedAt) return;
    if (existing) throw new Error('WOL_BOOTSTRAP_ADMIN_TOKEN names a credential that is revoked or not an admin');
    const row = await insertCredential(tx, {
      role: 'admin',
      tokenHash,
      label: 'bootstrap admin (WOL_BOOTSTRAP_ADMIN_TOKEN)',
    });
    await recordAudit(tx, {
      actor: null,
      action: 'credential.bootstrap',
      subject: `credential:${row.id}`,
      at: deps.clock(),
    });
  });
}
