/** Organisations: hotlines, agencies, NCBs, ISPs and the operator. Admins manage them. */
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { insertOrganisation, listOrganisations } from '../db/repositories/organisations.ts';
import type { Deps } from '../deps.ts';
import type { OrganisationInput } from '../schemas/organisations.ts';
import type { Call } from './caller.ts';
import { ConflictError } from './errors.ts';

export async function createOrganisation(deps: Deps, { caller, input }: Call<OrganisationInput>) {
  return inTransaction(deps.db, async (tx) => {
    const row = await insertOrganisation(tx, input);
    if (!row)
      throw new ConflictError('organisation_exists', `an organisation named ${JSON.stringify(input.name)} exists`, {
        field: 'name',
      });
    await recordAudit(tx, {
      actor: caller.principal.credentialId,
      action: 'organisation.create',
      subject: `organisation:${row.id}`,
      detail: input,
      ip: caller.ip,
      at: deps.clock(),
    });
    return row;
  });
}

/** Admins and analysts see every organisation; an NCB sees the ISPs of its own country. */
export async function visibleOrganisations(deps: Deps, { caller }: Call) {
  const actor = caller.principal;
  if (actor.role === 'ncb') return listOrganisations(deps.db, { kind: 'isp', country: actor.country ?? '--' });
  return listOrganisations(deps.db, {});
}
