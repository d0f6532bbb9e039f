/** Request and answer shapes of /v1/domains: search, explanations, exclusions, policies and delisting. */
import { z } from '@hono/zod-openapi';
import {
  type DomainSort,
  domainSorts,
  domainStateMeaning,
  domainStates,
  filterableDomainStates,
} from '../core/domain-state.ts';
import { apparentAges, delistingStates, granularities, verdicts } from '../core/vocabulary.ts';
import { isoOut, nullableIsoOut, text } from './common.ts';
import { decodeCursor } from './cursor.ts';
import { knownContent } from './known.ts';

export const listKeyParam = z.object({
  listKey: text()
    .min(1)
    .max(253)
    .openapi({ param: { name: 'listKey', in: 'path' }, example: 'zz-example.com' }),
});

export const reasonInput = z.strictObject({ reason: text().trim().min(3).max(2000) }).openapi('Reason');

export const policyInput = z
  .strictObject({ granularity: z.enum(granularities), reason: text().trim().min(3).max(2000) })
  .openapi('PolicyInput');

const stateDescription = domainStates.map((s) => `${s}: ${domainStateMeaning[s]}`).join('; ');
const domainState = z.enum(domainStates).openapi({ description: stateDescription });

export const domainQuery = z
  .object({
    state: z
      .enum(filterableDomainStates)
      .optional()
      .openapi({ description: 'one state (reported keys are found without a filter)' }),
    q: text().trim().toLowerCase().max(253).optional().openapi({ description: 'key prefix' }),
    sort: z.enum(domainSorts).default('name').openapi({
      description:
        'name: by key, bytewise; lastSeen and confirmations: by the figures of the last build (keys reported since appear after the next one), then by key',
    }),
    order: z.enum(['asc', 'desc']).default('asc'),
    cursor: text()
      .max(1024)
      .optional()
      .openapi({ description: 'the nextCursor of the previous page, in the same sort and order' }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .superRefine((query, ctx) => {
    if (query.cursor !== undefined && query.sort !== 'name' && !sortCursorKeys(query.sort, query.cursor))
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'not a cursor this service gave out for this sort' });
  });

/**
 * The sort keys a cursor of a figures order holds (last seen: its ms and the key; confirmations:
 * organisations, countries and the key), or undefined when this order did not give it out.
 */
export function sortCursorKeys(sort: Exclude<DomainSort, 'name'>, cursor: string): (number | string)[] | undefined {
  const keys = decodeCursor(cursor);
  const numbers = sort === 'lastSeen' ? 1 : 2;
  return keys?.length === numbers + 1 &&
    keys.slice(0, numbers).every((k) => Number.isSafeInteger(k)) &&
    typeof keys[numbers] === 'string'
    ? (keys as (number | string)[])
    : undefined;
}

export const domainSummary = z.object({
  listKey: z.string(),
  state: domainState,
  listedSince: z.number().int().nullable(),
  confirmingOrganisations: z
    .number()
    .int()
    .openapi({ description: 'organisations with an assessment that counts toward the criteria, as of now' }),
  confirmingCountries: z.number().int().openapi({ description: 'their countries' }),
  lastSeen: nullableIsoOut.openapi({
    description: 'when its material was last confirmed online (the newest of the assessments that count)',
  }),
  failing: z.array(z.string()).openapi({
    description:
      'the criteria it fails now (names as in its explanation), leaving out those that fail only because reports are observed offline (reportsOnline names that cause)',
  }),
});

export const domainPage = z.object({
  total: z.number().int().openapi({ description: 'how many keys the search matches' }),
  items: z.array(domainSummary),
  nextCursor: z.string().nullable(),
});
export type DomainPage = z.infer<typeof domainPage>;

export const exclusionDecision = z.object({
  listKey: z.string(),
  state: z.string(),
  reason: z.string(),
  decidedAt: isoOut,
});
export type ExclusionDecision = z.infer<typeof exclusionDecision>;

export const domainPolicy = z.object({
  listKey: z.string(),
  granularity: z.enum(granularities),
  reason: z.string(),
  rekeyedReports: z.number().int(),
});
export type DomainPolicy = z.infer<typeof domainPolicy>;

export const criterionResult = z.object({
  name: z.string(),
  required: z.union([z.string(), z.number(), z.boolean()]),
  observed: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  pass: z.boolean(),
  note: z.string().optional().openapi({ description: 'why, where the values alone do not say it' }),
});

export const domainDetail = z
  .object({
    listKey: z.string(),
    state: domainState,
    excluded: z
      .boolean()
      .openapi({ description: 'an exclusion is in force (a listed domain leaves at the next build)' }),
    withheld: z.boolean().openapi({
      description: "a national instance's withholding is in force: the upstream entry is not on this country's list",
    }),
    evaluation: z.object({
      included: z.boolean(),
      criteriaVersion: z.number().int(),
      criteria: z.array(criterionResult),
    }),
    evidence: z.object({
      reports: z.number().int(),
      offlineReports: z.number().int(),
      confirmedAssessments: z.number().int(),
      countingAssessments: z.number().int().openapi({ description: 'confirmed assessments the criteria count' }),
      countries: z.array(z.string()).openapi({ description: 'countries of the organisations whose assessments count' }),
      organisations: z.array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          country: z.string(),
          assessments: z.number().int(),
          countingAssessments: z.number().int(),
          latestOnlineAt: isoOut,
        }),
      ),
      assessments: z
        .array(
          z.object({
            id: z.number().int(),
            host: z.string(),
            organisation: z.string(),
            country: z.string(),
            verdict: z.enum(verdicts),
            realChild: z.boolean(),
            apparentAge: z.enum(apparentAges),
            severity: z.number().int(),
            observedOnlineAt: isoOut,
            reportOnline: z.boolean(),
            counts: z.boolean().openapi({ description: 'whether the criteria count it' }),
            failing: z.array(criterionResult).openapi({ description: 'the per-assessment criteria it fails' }),
          }),
        )
        .openapi({ description: 'the newest 100 assessments' }),
      hosts: z.array(z.object({ host: z.string(), reports: z.number().int() })),
      latestOnlineAt: nullableIsoOut,
      latestObservation: z.object({ observedAt: isoOut, online: z.boolean(), note: z.string().nullable() }).nullable(),
      knownContent: z.array(knownContent.extend({ reportId: z.number().int(), url: z.string() })).openapi({
        description:
          'reports whose hashes match classifications on other reports (up to 50); informs, never lists by itself',
      }),
    }),
    decisions: z.array(
      z.object({
        kind: z.enum(['exclusion', 'restore', 'policy', 'withholding', 'lift_withholding', 'delisting_request']),
        at: isoOut,
        by: z.number().int().nullable(),
        reason: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
    history: z.array(z.object({ addedVersion: z.number().int(), removedVersion: z.number().int().nullable() })),
  })
  .openapi('DomainDetail');

export const delistingInput = z
  .strictObject({
    domain: text().trim().min(1).max(2048).openapi({ description: 'the domain or a URL on it' }),
    contact: text().trim().min(3).max(320).openapi({ description: 'how to reach you (e-mail address or phone)' }),
    statement: text().trim().min(10).max(5000),
  })
  .openapi('DelistingRequestInput');

export const delistingReceipt = z
  .object({ id: z.string(), status: z.literal('received'), message: z.string() })
  .openapi('DelistingReceipt');

export const delistingRequest = z
  .object({
    id: z.string(),
    listKey: z.string(),
    host: z.string(),
    contact: z.string(),
    statement: z.string(),
    state: z.enum(delistingStates),
    createdAt: isoOut,
    decidedBy: z.number().int().nullable(),
    decidedAt: nullableIsoOut,
    reason: z.string().nullable(),
  })
  .openapi('DelistingRequest');

/** A request in the queue, with where its domain stands now. */
export const delistingQueueItem = delistingRequest
  .extend({
    listedSince: z.number().int().nullable().openapi({ description: 'the version the domain is listed since, now' }),
    excluded: z.boolean().openapi({ description: 'an exclusion of the domain is in force now' }),
  })
  .openapi('DelistingQueueItem');

export const delistingDecision = z
  .strictObject({ decision: z.enum(['accept', 'reject']), reason: text().trim().min(3).max(2000) })
  .openapi('DelistingDecision');
export type DelistingDecision = z.output<typeof delistingDecision>;
