import { describe, expect, it } from 'vitest';
import { defaultCriteria, type Evidence, evaluate } from '../src/core/criteria.ts';

const now = new Date('2026-11-20T12:00:00Z');
const qualifying: Evidence = {
  listKey: 'zz-example.com',
  reports: 2,
  offlineReports: 0,
  confirmedAssessments: 2,
  qualifyingCountries: 2,
  qualifyingOrganisations: 2,
  anyRealChild: true,
  youngestApparentAge: 'prepubescent',
  highestSeverity: 7,
  latestOnlineAt: new Date('2026-11-17T12:00:00Z'),
  excluded: false,
};
const byName = (evidence: Evidence) =>
  Object.fromEntries(evaluate(evidence, defaultCriteria, now).criteria.map((c) => [c.name, c]));

describe('evaluate with reports observed offline', () => {
  it('says nothing about offline reports when there are none', () => {
    const lines = evaluate(qualifying, defaultCriteria, now).criteria;
    expect(lines.find((l) => l.name === 'reportsOnline')).toEqual({
      name: 'reportsOnline',
      required: 'at least 1 report not observed offline',
      observed: '2 of 2',
      pass: true,
    });
    expect(lines.every((l) => l.note === undefined)).toBe(true);
  });

  it('counts the offline reports and names the criteria that fail because of them', () => {
    const counted: Evidence = {
      ...qualifying,
      offlineReports: 1,
      confirmedAssessments: 1,
      qualifyingCountries: 1,
      qualifyingOrganisations: 1,
      ifOnline: qualifying,
    };
    const result = evaluate(counted, defaultCriteria, now);
    expect(result.included).toBe(false);
    const lines = byName(counted);
    expect(lines.reportsOnline).toMatchObject({
      observed: '1 of 2 (1 observed offline)',
      pass: true,
      note: '1 report of 2 observed offline; their assessments no longer count',
    });
    expect(lines.confirmingOrganisations).toEqual({
      name: 'confirmingOrganisations',
      required: 2,
      observed: 1,
      pass: false,
      note: 'fails because 1 report observed offline no longer counts',
    });
    expect(lines.confirmingCountries?.note).toBe('fails because 1 report observed offline no longer counts');
    expect(lines.severity?.note).toBeUndefined();
  });

  it('does not blame offline reports for what fails anyway', () => {
    const weak = { ...qualifying, highestSeverity: 2, qualifyingCountries: 0, qualifyingOrganisations: 0 };
    const lines = byName({ ...weak, offlineReports: 1, ifOnline: weak });
    expect(lines.severity).toMatchObject({ pass: false });
    expect(lines.severity?.note).toBeUndefined();
    expect(lines.confirmingOrganisations?.note).toBeUndefined();
  });

  it('is the same for the same input', () => {
    const input = { ...qualifying, offlineReports: 2, ifOnline: qualifying };
    expect(evaluate(input, defaultCriteria, now)).toEqual(evaluate(input, defaultCriteria, now));
  });
});
