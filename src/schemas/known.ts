/**
 * What intake answers about material already known (issue 21): counts of assessments,
 * organisations and countries, never who. The same shapes serve the analysts' look-up.
 */
import { z } from '@hono/zod-openapi';
import { apparentAges, contentKinds, verdicts } from '../core/vocabulary.ts';
import { text } from './common.ts';

const knownEvidence = z.object({
  reports: z.number().int(),
  confirmedAssessments: z.number().int(),
  confirmingOrganisations: z
    .number()
    .int()
    .openapi({ description: 'organisations whose confirmation qualifies on its own, as the criteria count them' }),
  confirmingCountries: z.number().int(),
  qualifies: z.boolean().openapi({ description: 'the evidence meets every criterion now' }),
  failing: z.array(z.string()).openapi({ description: 'the criteria it fails, by name' }),
});

export const knownContent = z
  .object({
    matchedHashes: z.number().int(),
    assessments: z.number().int().openapi({ description: 'assessments of other reports naming one of these hashes' }),
    organisations: z.number().int(),
    confirmed: z.number().int(),
    notConfirmed: z.number().int(),
    qualifying: z.number().int().openapi({ description: 'confirmations that meet the per-item criteria' }),
    classification: z
      .object({
        verdict: z.enum(verdicts),
        realChild: z.boolean(),
        apparentAge: z.enum(apparentAges),
        severity: z.number().int(),
        contentType: z.enum(contentKinds).nullable(),
      })
      .openapi({ description: 'the most recent of those assessments' }),
  })
  .openapi('KnownContent');
export type KnownContent = z.infer<typeof knownContent>;

export const knownSummary = z
  .object({
    url: knownEvidence.extend({ url: z.string() }),
    listKey: knownEvidence.extend({
      listKey: z.string(),
      listed: z.boolean(),
      listedSince: z.number().int().nullable().openapi({ description: 'the version that listed it' }),
      excluded: z.boolean(),
    }),
    content: knownContent.nullable().openapi({ description: 'null: no hash named, or none classified elsewhere' }),
  })
  .openapi('KnownSummary', { description: 'what was known before this submission' });
export type KnownSummary = z.infer<typeof knownSummary>;

export const knownQuery = z.object({
  url: text().min(1).max(8192).openapi({ description: 'a URL or a bare domain; canonicalised as intake does' }),
});
