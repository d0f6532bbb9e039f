/**
 * Why one assessment does not count toward the criteria, in evaluate()'s own terms: the
 * assessment is evaluated as if it were a domain's only evidence, with the domain-wide
 * criteria (organisations, countries, exclusion) met, so the lines that fail are the ones
 * this assessment fails by itself.
 */
import { type Criteria, type CriterionResult, evaluate } from './criteria.ts';
import type { ApparentAge } from './vocabulary.ts';

/** The criteria each assessment must meet on its own; the others are about the domain. */
const PER_ASSESSMENT = new Set(['realChild', 'apparentAge', 'severity', 'onlineWithinDays', 'reportsOnline']);

export interface AssessmentFacts {
  realChild: boolean;
  apparentAge: ApparentAge;
  severity: number;
  observedOnlineAt: Date;
  /** Whether its report's latest observation says online (or there is none). */
  reportOnline: boolean;
}

export function assessmentFailures(a: AssessmentFacts, criteria: Criteria, now: Date): CriterionResult[] {
  const { criteria: lines } = evaluate(
    {
      listKey: '',
      reports: 1,
      offlineReports: a.reportOnline ? 0 : 1,
      confirmedAssessments: 1,
      qualifyingCountries: criteria.minConfirmingCountries,
      qualifyingOrganisations: criteria.minConfirmingOrganisations,
      anyRealChild: a.realChild,
      youngestApparentAge: a.apparentAge,
      highestSeverity: a.severity,
      latestOnlineAt: a.observedOnlineAt,
      excluded: false,
    },
    criteria,
    now,
  );
  return lines.filter((line) => !line.pass && PER_ASSESSMENT.has(line.name));
}
