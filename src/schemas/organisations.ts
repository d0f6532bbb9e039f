/** Request and answer shapes of /v1/organisations. */
import { z } from '@hono/zod-openapi';
import { organisationKinds } from '../core/vocabulary.ts';
import { country, isoOut, shortText } from './common.ts';

export const organisationInput = z
  .strictObject({ name: shortText(200), kind: z.enum(organisationKinds), country })
  .openapi('OrganisationInput');
export type OrganisationInput = z.output<typeof organisationInput>;

export const organisation = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind: z.enum(organisationKinds),
    country: z.string(),
    createdAt: isoOut,
  })
  .openapi('Organisation');
