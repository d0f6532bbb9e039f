/**
 * The online window in evaluate() is the aggregate's (repositories/evidence.ts counts an
 * assessment observed at or after now minus the window): to the millisecond, not in whole days.
 */
import { describe, expect, it } from 'vitest';
import { defaultCriteria, type Evidence, evaluate } from '../src/core/criteria.ts';

const now = new Date('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;
const seen = (msAgo: number): Evidence => ({
  listKey: 'zz-example.com',
  reports: 2,
  offlineReports: 0,
  confirmedAssessments: 2,
  qualifyingCountries: 2,
  qualifyingOrganisations: 2,
  anyRealChild: true,
  youngestApparentAge: 'prepubescent',
  highestSeverity: 7,
  latestOnlineAt: new Date(now.getTime() - msAgo),
  excluded: false,
});
const window = (evidence: Evidence) =>
  evaluate(evidence, defaultCriteria, now).criteria.find((c) => c.name === 'onlineWithinDays')!;

describe('the online window', () => {
  const days = defaultCriteria.onlineWithinDays;
  it('holds a key seen exactly the window ago', () => {
    expect(window(seen(days * DAY_MS))).toMatchObject({ observed: days, pass: true });
  });
  it('fails a key seen a second longer ago, though it is still the same whole day', () => {
    expect(window(seen(days * DAY_MS + 1000))).toMatchObject({ observed: days, pass: false });
  });
  it('fails a key never seen online', () => {
    expect(window({ ...seen(0), latestOnlineAt: null })).toMatchObject({ observed: null, pass: false });
  });
});
