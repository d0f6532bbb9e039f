/** Request and answer shapes of a national instance's withholdings of upstream entries. */
import { z } from '@hono/zod-openapi';
import { withholdingCategories, withholdingStates } from '../core/vocabulary.ts';
import { isoOut, text } from './common.ts';

export const withholdingInput = z
  .strictObject({ category: z.enum(withholdingCategories), reason: text().trim().min(3).max(2000) })
  .openapi('WithholdingInput');

export const withholdingDecision = z.object({
  listKey: z.string(),
  state: z.enum(withholdingStates),
  category: z.enum(withholdingCategories).nullable(),
  reason: z.string(),
  decidedAt: isoOut,
});
