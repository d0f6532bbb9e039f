/**
 * Criteria are versioned data, not code. evaluate() is pure: the same evidence, criteria
 * and `now` always give the same verdict and the same explanation, one line per criterion.
 */
import { z } from 'zod';
import { type ApparentAge, apparentAges } from './vocabulary.ts';

export const criteriaDefinition = z.strictObject({
  minConfirmingCountries: z.number().int().min(1).max(50),
  minConfirmingOrganisations: z.number().int().min(1).max(50),
  requireRealChild: z.boolean(),
  /** The oldest apparent age that still qualifies; ages are ordered youngest first. */
  maxApparentAge: z.enum(apparentAges).exclude(['unknown']),
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
  /**
   * The same aggregate with the reports observed offline counted as if online, given when
   * some are offline: the explanation then names the criteria that fail only because of them.
   */
  ifOnline?: Omit<Evidence, 'ifOnline'> | undefined;
}

/** The evidence of a key nobody has reported (an exclusion or policy may still name it). */
export const noEvidence = (listKey: string, excluded: boolean): Evidence => ({
  listKey,
  reports: 0,
  offlineReports: 0,
  confirmedAssessments: 0,
  qualifyingCountries: 0,
  qualifyingOrganisations: 0,
  anyRealChild: false,
  youngestApparentAge: null,
  highestSeverity: null,
  latestOnlineAt: null,
  excluded,
});

export interface CriterionResult {
  name: string;
  required: string | number | boolean;
  observed: string | number | boolean | null;
  pass: boolean;
  /** Why, where the values alone do not say it (reports observed offline). */
  note?: string;
}

export interface Evaluation {
  included: boolean;
  criteria: CriterionResult[];
}

const DAY_MS = 86_400_000;

/** The criteria's window in milliseconds: an assessment counts while observed online within it of now. */
export const windowMs = (criteria: Criteria): number => criteria.onlineWithinDays * DAY_MS;

const reportsText = (n: number) => (n === 1 ? '1 report' : `${n} reports`);

/**
 * One line per criterion. When reports are observed offline, the reportsOnline line says how
 * many, and each line that fails only because their assessments no longer count says so.
 */
export function evaluate(evidence: Evidence, criteria: Criteria, now: Date): Evaluation {
  const lines = criterionLines(evidence, criteria, now);
  const offline = evidence.offlineReports;
  if (offline > 0) {
    const ifOnline = evidence.ifOnline && criterionLines({ ...evidence.ifOnline, offlineReports: 0 }, criteria, now);
    lines.forEach((line, i) => {
      if (line.name === 'reportsOnline')
        line.note = `${reportsText(offline)} of ${evidence.reports} observed offline; their assessments no longer count`;
      else if (!line.pass && ifOnline?.[i]?.pass)
        line.note = `fails because ${reportsText(offline)} observed offline no longer count${offline === 1 ? 's' : ''}`;
    });
  }
  return { included: lines.every((l) => l.pass), criteria: lines };
}

/**
 * The criteria an evaluation fails, parted by cause: its own, and those that fail only because
 * reports are observed offline (the lines evaluate() gives that note), which are one cause, not many.
 */
export function failures(evaluation: Evaluation): { own: string[]; becauseOffline: string[] } {
  const failing = evaluation.criteria.filter((line) => !line.pass);
  const offlineOnly = (line: CriterionResult) => line.note !== undefined && line.name !== 'reportsOnline';
  return {
    own: failing.filter((line) => !offlineOnly(line)).map((line) => line.name),
    becauseOffline: failing.filter(offlineOnly).map((line) => line.name),
  };
}

function criterionLines(evidence: Evidence, criteria: Criteria, now: Date): CriterionResult[] {
  const online = evidence.reports - evidence.offlineReports;
  const daysSinceOnline =
    evidence.latestOnlineAt === null ? null : Math.floor((now.getTime() - evidence.latestOnlineAt.getTime()) / DAY_MS);
  return [
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
      // To the millisecond, as the aggregate counts assessments (evidence.ts: observed_online_at >= now - window);
      // whole days here would pass a key seen 90.5 days ago whose assessments no longer count.
      pass: evidence.latestOnlineAt !== null && now.getTime() - evidence.latestOnlineAt.getTime() <= windowMs(criteria),
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
      required: 'at least 1 report not observed offline',
      observed:
        evidence.offlineReports > 0
          ? `${online} of ${evidence.reports} (${evidence.offlineReports} observed offline)`
          : `${online} of ${evidence.reports}`,
      pass: online > 0,
    },
    { name: 'notExcluded', required: true, observed: !evidence.excluded, pass: !evidence.excluded },
  ];
}
