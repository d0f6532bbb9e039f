/** The build's answers: what POST /v1/builds made and the runs GET /v1/builds lists. */
import { z } from '@hono/zod-openapi';
import { buildOutcomes } from '../core/vocabulary.ts';
import { isoOut } from './common.ts';

export const timeToListing = z
  .object({
    firstListed: z.number().int().openapi({ description: 'domains this version listed for the first time' }),
    medianSeconds: z
      .number()
      .nullable()
      .openapi({ description: 'their median time from first report (as received) to this version; null when none' }),
    maxSeconds: z.number().nullable().openapi({ description: 'the longest of those times' }),
  })
  .openapi('VersionTimeToListing', {
    description: 'time to listing of the version a build made; a re-listed domain keeps its first listing',
  });
export type TimeToListing = z.infer<typeof timeToListing>;

export const buildResult = z
  .object({
    version: z.number().int(),
    changed: z.boolean(),
    added: z.number().int(),
    removed: z.number().int(),
    entryCount: z.number().int(),
    evaluated: z.number().int().openapi({
      description:
        'keys whose evidence the build aggregated and evaluated: those a write changed or whose evidence aged out since the last build, or every reported key when full',
    }),
    full: z.boolean().openapi({
      description: 'whether it recomputed every key (the first build, after a criteria change or a restore, or asked)',
    }),
    durationMs: z.number().int(),
    timeToListing: timeToListing.nullable().openapi({ description: 'null when the build made no new version' }),
  })
  .openapi('BuildResult');

export const buildRun = z.object({
  id: z.number().int(),
  trigger: z.string(),
  startedAt: isoOut,
  durationMs: z.number().int(),
  outcome: z.enum(buildOutcomes),
  version: z.number().int().nullable(),
  added: z.number().int(),
  removed: z.number().int(),
  evaluated: z
    .number()
    .int()
    .nullable()
    .openapi({ description: 'keys the build aggregated and evaluated; null for a failed run' }),
  full: z.boolean().nullable().openapi({ description: 'whether it recomputed every key; null for a failed run' }),
  error: z.string().nullable(),
  timeToListing: timeToListing.nullable().openapi({ description: 'null unless the run made its version (changed)' }),
});
export type BuildRun = z.infer<typeof buildRun>;
export const buildRunList = z.object({ items: z.array(buildRun) });

export const buildRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
