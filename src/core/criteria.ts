/**
 * Criteria are versioned data, not code. evaluate() is pure: the same evidence, criteria
 * and `now` always give the same verdict and the same explanation, one line per criterion.
 */
import { z } from 'zod';
import { apparentAges } from '../db/schema.ts';

export const criteriaDefinition = z.strictObject({
  minConfirmingCountries: z.number().int().min(1).max(50),
  minConfirmingOrganisations: z.number().int().min(1).max(50),
  requireRealChild: z.boolean(),
  /** The oldest apparent age that still qualifies; ages are ordered youngest first. */
  maxApparentAge: z.enum(
    apparentAges.filter((a) => a !== 'unknown') as ['infant_toddler', 'prepubescent', 'pubescent', 'adult'],
  ),
  minSeverity: z.number().int().min(1).max(10),
  onlineWithinDays: z.number().int().min(1).max(3650),
});
export type Criteria = z.infer<typeof criteriaDefinition>;

/** IWOL's published criteria. */
export const defaultCriteria: Criteria = {
  minConfirmingCountries: 2,
  minConfirmingOrganisations: 2,
  requireRealChild: true,
  maxApparentAge: 'prepubescent',
  minSeverity: 4,
  onlineWithinDays: 90,
};

export type ApparentAge = (typeof apparentAges)[number];
/** Rank of an age for comparisons: younger is lower; `unknown` never qualifies. */
export const ageRank = (age: ApparentAge): number => (age === 'unknown' ? 99 : apparentAges.indexOf(age));

/**
 * Aggregated per list key from confirmed assessments of reports that still count (not
 * observed offline). "Qualifying" assessments meet every per-item criterion on their own;
 * the countries and organisations that confirm are counted among those.
 */
export interface Evidence {
  listKey: string;
  reports: number;
  offlineReports: number;
  confirmedAssessments: number;
  qualifyingCountries: number;
  qualifyingOrganisations: number;
  anyRealChild: boolean;
  youngestApparentAge: ApparentAge | null;
  highestSeverity: number | null;
  latestOnlineAt: Date | null;
  excluded: boolean;
}

export interface CriterionResult {
  name: string;
  required: string | number | boolean;
  observed: string | number | boolean | null;
  pass: boolean;
}

export interface Evaluation {
  included: boolean;
  criteria: CriterionResult[];
}

const DAY_MS = 86_400_000;

export function evaluate(evidence: Evidence, criteria: Criteria, now: Date): Evaluation {
  const daysSinceOnline =
    evidence.latestOnlineAt === null ? null : Math.floor((now.getTime() - evidence.latestOnlineAt.getTime()) / DAY_MS);
  const lines: CriterionResult[] = [
    {
      name: 'realChild',
      required: criteria.requireRealChild,
      observed: evidence.anyRealChild,
      pass: !criteria.requireRealChild || evidence.anyRealChild,
    },
    {
      name: 'apparentAge',
      required: `${criteria.maxApparentAge} or younger`,
      observed: evidence.youngestApparentAge,
      pass:
        evidence.youngestApparentAge !== null &&
        ageRank(evidence.youngestApparentAge) <= ageRank(criteria.maxApparentAge),
    },
    {
      name: 'severity',
      required: criteria.minSeverity,
      observed: evidence.highestSeverity,
      pass: evidence.highestSeverity !== null && evidence.highestSeverity >= criteria.minSeverity,
    },
    {
      name: 'onlineWithinDays',
      required: criteria.onlineWithinDays,
      observed: daysSinceOnline,
      pass: daysSinceOnline !== null && daysSinceOnline <= criteria.onlineWithinDays,
    },
    {
      name: 'confirmingOrganisations',
      required: criteria.minConfirmingOrganisations,
      observed: evidence.qualifyingOrganisations,
      pass: evidence.qualifyingOrganisations >= criteria.minConfirmingOrganisations,
    },
    {
      name: 'confirmingCountries',
      required: criteria.minConfirmingCountries,
      observed: evidence.qualifyingCountries,
      pass: evidence.qualifyingCountries >= criteria.minConfirmingCountries,
    },
    {
      name: 'reportsOnline',
      required: 1,
      observed: evidence.reports - evidence.offlineReports,
      pass: evidence.reports > evidence.offlineReports,
    },
    { name: 'notExcluded', required: true, observed: !evidence.excluded, pass: !evidence.excluded },
  ];
  return { included: lines.every((l) => l.pass), criteria: lines };
}
