/** The criteria's answers: one version of the set, as GET and PUT /v1/criteria give it. */
import { z } from '@hono/zod-openapi';
import { criteriaDefinition } from '../core/criteria.ts';
import { isoOut } from './common.ts';

export const criteriaVersion = z.object({
  version: z.number().int(),
  definition: criteriaDefinition,
  sha256: z.string(),
  active: z.boolean(),
  createdAt: isoOut,
});
export type CriteriaVersion = z.infer<typeof criteriaVersion>;

export const criteriaVersions = z.object({ active: criteriaVersion, versions: z.array(criteriaVersion) });
export type CriteriaVersions = z.infer<typeof criteriaVersions>;
