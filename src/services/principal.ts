/** Who is calling: a resolved, unexpired, unrevoked credential and its organisation. */
import type { OrganisationKind, Role } from '../core/vocabulary.ts';
import { InvalidInputError } from './errors.ts';

export interface Principal {
  credentialId: number;
  role: Role;
  organisationId: number | null;
  organisationKind: OrganisationKind | null;
  country: string | null;
}

/**
 * The organisation a write is attributed to (`doing`: what it would do, for the refusal); the
 * bootstrap admin belongs to none and may not report or observe.
 */
export function actingOrganisation(actor: Principal, doing: string): number {
  if (actor.organisationId === null)
    throw new InvalidInputError('no_organisation', `this credential belongs to no organisation and cannot ${doing}`);
  return actor.organisationId;
}
