/** Organisations: hotlines, agencies, NCBs, ISPs and the operator. Admins manage them. */
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { insertOrganisation, listOrganisations } from '../db/repositories/organisations.ts';
import type { Deps } from '../deps.ts';
import type { OrganisationInput } from '../schemas/organisations.ts';
import { ConflictError } from './errors.ts';
import type { Principal } from './principal.ts';

export async function createOrganisation(deps: Deps, actor: Principal, input: OrganisationInput, ip?: string) {
  return inTransaction(deps.db, async (tx) => {
    const row = await insertOrganisation(tx, input);
    if (!row)
      throw new ConflictError('organisation_exists', `an organisation named ${JSON.stringify(input.name)} exists`, {
        field: 'name',
      });
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'organisation.create',
      subject: `organisation:${row.id}`,
      detail: input,
      ip: ip ?? null,
      at: deps.clock(),
    });
    return row;
  });
}

/** Admins and analysts see every organisation; an NCB sees the ISPs of its own country. */
export async function visibleOrganisations(deps: Deps, actor: Principal) {
  if (actor.role === 'ncb') return listOrganisations(deps.db, { kind: 'isp', country: actor.country ?? '--' });
  return listOrganisations(deps.db, {});
}
