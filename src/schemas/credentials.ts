/** Request and answer shapes of /v1/credentials. */
import { z } from '@hono/zod-openapi';
import { roles } from '../core/vocabulary.ts';
import { id, isoOut, nullableIsoOut, shortText, timestamp } from './common.ts';

export const credentialInput = z
  .strictObject({
    organisationId: id,
    role: z.enum(roles),
    label: shortText(200),
    expiresAt: timestamp.optional(),
  })
  .openapi('CredentialInput');
export type CredentialInput = z.output<typeof credentialInput>;

export const credential = z
  .object({
    id: z.number().int(),
    organisationId: z.number().int().nullable(),
    role: z.enum(roles),
    label: z.string(),
    createdBy: z.number().int().nullable(),
    createdAt: isoOut,
    expiresAt: nullableIsoOut,
    revokedAt: nullableIsoOut,
    lastUsedAt: nullableIsoOut,
  })
  .openapi('Credential');

export const issuedCredential = z
  .object({
    id: z.number().int(),
    token: z.string().openapi({ description: 'shown once; only its SHA-256 is stored' }),
    role: z.enum(roles),
    organisationId: z.number().int().nullable(),
    expiresAt: nullableIsoOut,
  })
  .openapi('IssuedCredential');
