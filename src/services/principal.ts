/** Who is calling: a resolved, unexpired, unrevoked credential and its organisation. */
import type { OrganisationKind, Role } from '../core/vocabulary.ts';

export interface Principal {
  credentialId: number;
  role: Role;
  organisationId: number | null;
  organisationKind: OrganisationKind | null;
  country: string | null;
}
