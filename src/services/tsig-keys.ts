/**
 * TSIG keys of credentials (issue 18): made by admins for any pulling credential and by an NCB
 * for the ISP credentials of its country; the secret is shown once and kept sealed; revoking
 * the key, or revoking or expiring its credential, ends it. `resolveTsigKey` is what the DNS
 * listener asks, kept in deps.tsigKeyCache for a second at most (as bearer keys are).
 */
import { randomBytes } from 'node:crypto';
import { notifyTargetAllowed, parseNotifyTarget } from '../core/notify-target.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { findCredentialById } from '../db/repositories/credentials.ts';
import {
  findUsableTsigKey,
  insertTsigKey,
  listTsigKeys,
  revokeTsigKey,
  type TsigKeyRow,
} from '../db/repositories/tsig-keys.ts';
import type { Deps } from '../deps.ts';
import type { TsigKeyInput } from '../schemas/tsig-keys.ts';
import type { Call } from './caller.ts';
import { ConflictError, InvalidInputError, NotFoundError, UnavailableError } from './errors.ts';
import type { Principal } from './principal.ts';
import { seal, unseal } from './secret-seal.ts';
import type { ResolvedTsigKey } from './tsig-key-cache.ts';

/** The credential, when `actor` may manage its TSIG keys; else a 404 that says nothing more. */
async function manageable(db: Db, actor: Principal, credentialId: number) {
  const row = await findCredentialById(db, credentialId);
  const pulls = row?.role === 'isp' || row?.role === 'ncb';
  const mayManage =
    actor.role === 'admin' ||
    (actor.role === 'ncb' && row?.role === 'isp' && row.organisationKind === 'isp' && row.country === actor.country);
  if (!row || !pulls || !mayManage)
    throw new NotFoundError('unknown_credential', `no pulling credential ${credentialId} whose TSIG keys you manage`);
  return row;
}

async function sealingKey(deps: Deps): Promise<Uint8Array> {
  if (!deps.vault.sealingKey)
    throw new UnavailableError(
      'no_sealing_key',
      'this runtime keeps no TSIG secrets: make TSIG keys on a Node instance',
    );
  return deps.vault.sealingKey();
}

export async function issueTsigKey(
  deps: Deps,
  { caller, input: { credentialId, key: input } }: Call<{ credentialId: number; key: TsigKeyInput }>,
) {
  const actor = caller.principal;
  const now = deps.clock();
  const sealWith = await sealingKey(deps);
  const issued = await inTransaction(deps.db, async (tx) => {
    const credential = await manageable(tx, actor, credentialId);
    if (credential.revokedAt || (credential.expiresAt && credential.expiresAt <= now))
      throw new ConflictError('credential_ended', `credential ${credentialId} is revoked or expired`);
    const refused = input.notify.find((text) => {
      const target = parseNotifyTarget(text);
      return !target || !notifyTargetAllowed(target, deps.config.WOL_NOTIFY_ALLOW);
    });
    if (refused !== undefined)
      throw new InvalidInputError(
        'notify_target_not_allowed',
        `NOTIFY target ${refused} is not a public address, nor in a network the operator allows (WOL_NOTIFY_ALLOW)`,
        { field: 'notify' },
      );
    const name = `wol-${credential.role}-${credential.id}-${randomBytes(4).toString('hex')}`;
    const secret = randomBytes(32);
    const row = await insertTsigKey(tx, {
      credentialId,
      name,
      algorithm: input.algorithm,
      sealedSecret: seal(sealWith, secret, name),
      notify: input.notify,
      createdBy: actor.credentialId,
    });
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'tsig_key.issue',
      subject: `credential:${credentialId}`,
      detail: { name, algorithm: input.algorithm, notify: input.notify },
      ip: caller.ip,
      at: now,
    });
    return { name: row.name, algorithm: row.algorithm, secret: secret.toString('base64'), notify: row.notify };
  });
  return issued;
}

export async function credentialTsigKeys(
  deps: Deps,
  { caller, input: { credentialId } }: Call<{ credentialId: number }>,
) {
  await manageable(deps.db, caller.principal, credentialId);
  return (await listTsigKeys(deps.db, credentialId)).map(publicView);
}

export async function revokeCredentialTsigKey(
  deps: Deps,
  { caller, input: { credentialId, name } }: Call<{ credentialId: number; name: string }>,
) {
  const actor = caller.principal;
  const now = deps.clock();
  const row = await inTransaction(deps.db, async (tx) => {
    await manageable(tx, actor, credentialId);
    const revoked = await revokeTsigKey(tx, credentialId, name, now);
    if (!revoked) throw new NotFoundError('unknown_tsig_key', `credential ${credentialId} has no TSIG key ${name}`);
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'tsig_key.revoke',
      subject: `credential:${credentialId}`,
      detail: { name },
      ip: caller.ip,
      at: now,
    });
    return revoked;
  });
  deps.tsigKeyCache.clear();
  return publicView(row);
}

function publicView(row: TsigKeyRow) {
  return {
    name: row.name,
    algorithm: row.algorithm,
    notify: row.notify,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

/** The usable key of that name (lowercase, no trailing dot), its secret unsealed; null when none. */
export async function resolveTsigKey(deps: Deps, name: string): Promise<ResolvedTsigKey | null> {
  const now = deps.clock();
  return deps.tsigKeyCache.get(name, now, async () => {
    const row = await findUsableTsigKey(deps.db, name, now);
    if (!row) return null;
    const secret = unseal(await sealingKey(deps), row.key.sealedSecret, row.key.name);
    const value = {
      key: { name: row.key.name, algorithm: row.key.algorithm, secret },
      credentialId: row.key.credentialId,
      role: row.role,
      notify: row.key.notify,
    };
    return { value, expiresAt: row.expiresAt };
  });
}
