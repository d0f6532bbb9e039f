/**
 * What is already known about reported material, told to whoever reports it again (issue 21),
 * and what a domain still waits for. Pure: the verdicts come from evaluate(), the one criteria
 * evaluation the build uses, so intake, the confirmation queue and the list never disagree.
 * Counts only: nothing here names an organisation.
 */
import { type Criteria, type Evaluation, type Evidence, evaluate } from './criteria.ts';

/** The criteria that count confirmations; the confirmation queue relaxes exactly these. */
const CONFIRMATION_LINES = ['confirmingOrganisations', 'confirmingCountries'] as const;

export interface KnownEvidence {
  reports: number;
  confirmedAssessments: number;
  /** Organisations and countries whose confirmation qualifies on its own (as the criteria count them). */
  confirmingOrganisations: number;
  confirmingCountries: number;
  /** Whether the evidence meets every criterion now (for a list key: it is listed at the next build). */
  qualifies: boolean;
  /** The criteria it fails, by name (empty when it qualifies). */
  failing: string[];
}

export function knownEvidence(evidence: Evidence | undefined, criteria: Criteria, now: Date): KnownEvidence {
  if (!evidence)
    return {
      reports: 0,
      confirmedAssessments: 0,
      confirmingOrganisations: 0,
      confirmingCountries: 0,
      qualifies: false,
      failing: [],
    };
  const evaluation = evaluate(evidence, criteria, now);
  return {
    reports: evidence.reports,
    confirmedAssessments: evidence.confirmedAssessments,
    confirmingOrganisations: evidence.qualifyingOrganisations,
    confirmingCountries: evidence.qualifyingCountries,
    qualifies: evaluation.included,
    failing: evaluation.criteria.filter((line) => !line.pass).map((line) => line.name),
  };
}

export interface Missing {
  organisations: number;
  countries: number;
}

/** How many more organisations and countries the confirmation lines of an evaluation ask for. */
function missingConfirmations(evaluation: Evaluation): Missing {
  const gap = (name: (typeof CONFIRMATION_LINES)[number]) => {
    const line = evaluation.criteria.find((l) => l.name === name);
    return line && !line.pass ? Math.max(0, Number(line.required) - Number(line.observed)) : 0;
  };
  return { organisations: gap('confirmingOrganisations'), countries: gap('confirmingCountries') };
}

/**
 * Whether a domain waits only for confirmations: it fails the criteria as they are and passes
 * them with one organisation and one country enough. Returns what it lacks, or null.
 */
export function awaitingConfirmation(evidence: Evidence, criteria: Criteria, now: Date): Missing | null {
  const strict = evaluate(evidence, criteria, now);
  if (strict.included) return null;
  const relaxed = evaluate(evidence, { ...criteria, minConfirmingCountries: 1, minConfirmingOrganisations: 1 }, now);
  return relaxed.included ? missingConfirmations(strict) : null;
}

/** A domain in the confirmation queue: what it lacks, its figures, and its sort keys. */
export interface ConfirmationCandidate {
  listKey: string;
  /** Confirmations it needs: one from a new country is a new organisation too. */
  needed: number;
  missingOrganisations: number;
  missingCountries: number;
  /** When its material was last confirmed online, in ms (0: never). */
  latestMs: number;
  reports: number;
  confirmingOrganisations: number;
  confirmingCountries: number;
}

/** The confirmation queue among evaluated keys: those waiting only for confirmations. */
export function confirmationCandidates(
  evidence: readonly Evidence[],
  criteria: Criteria,
  now: Date,
): ConfirmationCandidate[] {
  return evidence.flatMap((e) => {
    const missing = awaitingConfirmation(e, criteria, now);
    if (!missing) return [];
    return [
      {
        listKey: e.listKey,
        needed: Math.max(missing.organisations, missing.countries),
        missingOrganisations: missing.organisations,
        missingCountries: missing.countries,
        latestMs: e.latestOnlineAt?.getTime() ?? 0,
        reports: e.reports,
        confirmingOrganisations: e.qualifyingOrganisations,
        confirmingCountries: e.qualifyingCountries,
      },
    ];
  });
}

const spelled = (n: number, one: string, many: string) => `${n === 1 ? 'one' : n} more ${n === 1 ? one : many}`;

/**
 * "one more country", "one more organisation", "one more organisation and 2 more countries".
 * An organisation of a new country is a new organisation too, so organisations are named only
 * beyond those the missing countries bring.
 */
export function missingText(missing: Missing): string {
  const parts: string[] = [];
  const organisations = Math.max(0, missing.organisations - missing.countries);
  if (organisations > 0) parts.push(spelled(organisations, 'organisation', 'organisations'));
  if (missing.countries > 0) parts.push(spelled(missing.countries, 'country', 'countries'));
  return parts.join(' and ');
}
