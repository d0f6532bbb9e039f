/** Who is calling: a resolved, unexpired, unrevoked credential and its organisation. */
import type { roles } from '../db/schema.ts';

export type Role = (typeof roles)[number];

export interface Principal {
  credentialId: number;
  role: Role;
  organisationId: number | null;
  organisationKind: string | null;
  country: string | null;
}
