/**
 * Credentials: issuing (admins any role; an NCB only `isp` keys for ISPs of its country),
 * revoking, listing, and resolving a bearer key to a Principal.
 */
import { timingSafeEqual } from 'node:crypto';
import { generateToken, hashToken, TOKEN_PATTERN } from '../core/tokens.ts';
import type { OrganisationKind, Role } from '../core/vocabulary.ts';
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import {
  findCredentialByHash,
  getCredential,
  insertCredential,
  listCredentials,
  revokeCredential as markRevoked,
} from '../db/repositories/credentials.ts';
import { getOrganisation } from '../db/repositories/organisations.ts';
import type { Deps } from '../deps.ts';
import type { CredentialInput } from '../schemas/credentials.ts';
import type { Call } from './caller.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from './errors.ts';
import type { Principal } from './principal.ts';

/**
 * last_used_at is refreshed at most this often, so a busy ISP's pulls are not each a write.
 * It is written later, off the request's path: a read must not fail because a write did.
 */
const TOUCH_INTERVAL_MS = 60_000;

/** Which organisation kinds may hold which role. */
const kindsForRole: Record<Role, readonly OrganisationKind[]> = {
  reporter: ['hotline', 'agency'],
  analyst: ['operator', 'agency', 'hotline'],
  admin: ['operator'],
  ncb: ['ncb'],
  isp: ['isp'],
};

export async function authenticateToken(deps: Deps, token: string): Promise<Principal | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const tokenHash = hashToken(token);
  const now = deps.clock();
  return deps.pullCache.principal(tokenHash, now, async () => {
    const row = await findCredentialByHash(deps.db, tokenHash);
    // The lookup is by hash; comparing the stored hash too guards against a collation or index surprise.
    if (!row || !sameHash(row.tokenHash, tokenHash)) return null;
    if (row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS)
      deps.pullCache.touch(row.id, now);
    const principal: Principal = {
      credentialId: row.id,
      role: row.role,
      organisationId: row.organisationId,
      organisationKind: row.organisationKind,
      country: row.country,
    };
    return { principal, expiresAt: row.expiresAt };
  });
}

export async function issueCredential(deps: Deps, { caller, input }: Call<CredentialInput>) {
  const actor = caller.principal;
  const now = deps.clock();
  if (input.expiresAt && input.expiresAt <= now)
    throw new InvalidInputError('expires_in_past', 'expiresAt must be in the future', { field: 'expiresAt' });
  return inTransaction(deps.db, async (tx) => {
    const organisation = await getOrganisation(tx, input.organisationId);
    if (!organisation)
      throw new InvalidInputError('unknown_organisation', `no organisation ${input.organisationId}`, {
        field: 'organisationId',
      });
    if (actor.role === 'ncb') {
      if (input.role !== 'isp') throw new ForbiddenError('ncb_isp_only', 'an NCB may issue only isp credentials');
      if (organisation.kind !== 'isp' || organisation.country !== actor.country)
        throw new ForbiddenError('ncb_own_country', 'an NCB may issue credentials only to ISPs of its own country');
    } else if (actor.role !== 'admin') {
      throw new ForbiddenError('forbidden', 'only admins and NCBs issue credentials');
    }
    if (!kindsForRole[input.role].includes(organisation.kind))
      throw new InvalidInputError(
        'role_kind_mismatch',
        `a ${organisation.kind} organisation cannot hold the ${input.role} role`,
        {
          field: 'role',
        },
      );
    const token = generateToken(input.role);
    const row = await insertCredential(tx, {
      organisationId: organisation.id,
      role: input.role,
      tokenHash: hashToken(token),
      label: input.label,
      createdBy: actor.credentialId,
      expiresAt: input.expiresAt ?? null,
    });
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'credential.issue',
      subject: `credential:${row.id}`,
      detail: { organisationId: organisation.id, role: input.role, label: input.label },
      ip: caller.ip,
      at: now,
    });
    return { id: row.id, token, role: row.role, organisationId: row.organisationId, expiresAt: row.expiresAt };
  });
}

/** Admins revoke any credential; an NCB only those it issued. Revocation takes effect on the next request. */
export async function revokeCredential(deps: Deps, { caller, input: { id } }: Call<{ id: number }>) {
  const actor = caller.principal;
  const revoked = await inTransaction(deps.db, async (tx) => {
    const row = await getCredential(tx, id);
    const mayRevoke = actor.role === 'admin' || (actor.role === 'ncb' && row?.createdBy === actor.credentialId);
    if (!row || !mayRevoke) throw new NotFoundError('unknown_credential', `no credential ${id} that you may revoke`);
    const now = deps.clock();
    await markRevoked(tx, id, now);
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'credential.revoke',
      subject: `credential:${id}`,
      ip: caller.ip,
      at: now,
    });
    return { ...row, revokedAt: row.revokedAt ?? now };
  });
  deps.pullCache.forgetPrincipals();
  // Its TSIG keys end with it (the listener's lookups join the credential).
  deps.tsigKeyCache.clear();
  return revoked;
}

export async function visibleCredentials(deps: Deps, { caller, input: { limit } }: Call<{ limit: number }>) {
  const actor = caller.principal;
  return listCredentials(deps.db, { limit, ...(actor.role === 'ncb' ? { createdBy: actor.credentialId } : {}) });
}

function sameHash(stored: string, presented: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
