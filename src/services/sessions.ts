/**
 * Console sessions as use cases: a bearer key is exchanged once for a session that names
 * only its credential, and every request finds that credential again, so a revoked or
 * expired key ends its sessions at once. Cookies and JWTs are the HTTP layer's business.
 */
import { recordAudit } from '../db/repositories/audit.ts';
import { findCredentialById } from '../db/repositories/credentials.ts';
import type { Deps } from '../deps.ts';
import type { Call } from './caller.ts';
import { authenticateToken } from './credentials.ts';
import type { Principal } from './principal.ts';

/** Who is signed in: the principal plus what the pages show about it. */
export interface SessionUser extends Principal {
  label: string;
  organisationName: string | null;
}

/** The principal of a valid key (audited as a sign-in), or null for any key that is not. */
export async function signIn(
  deps: Deps,
  { caller, input: { token } }: Call<{ token: string }, null>,
): Promise<Principal | null> {
  const principal = await authenticateToken(deps, token.trim());
  if (!principal) return null;
  await recordAudit(deps.db, {
    actor: principal.credentialId,
    action: 'console.sign_in',
    subject: `credential:${principal.credentialId}`,
    ip: caller.ip,
    at: deps.clock(),
  });
  return principal;
}

/** The session's credential as it is now: null once it is revoked, expired or gone. */
export async function sessionUser(deps: Deps, credentialId: number): Promise<SessionUser | null> {
  const row = await findCredentialById(deps.db, credentialId);
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= deps.clock())) return null;
  return {
    credentialId: row.id,
    role: row.role,
    organisationId: row.organisationId,
    organisationKind: row.organisationKind,
    country: row.country,
    label: row.label,
    organisationName: row.organisationName,
  };
}
