/**
 * A domain's state: one vocabulary, defined here, for the API (`state` in domain answers
 * and the `state` filter), the console's badges and filter, and the README.
 */
export const domainStates = ['listed', 'excluded', 'candidate', 'reported'] as const;
export type DomainState = (typeof domainStates)[number];
/** The states a domain listing filters by: a reported key is found without a filter. */
export const filterableDomainStates = ['listed', 'candidate', 'excluded'] as const satisfies readonly DomainState[];
export type DomainFilter = (typeof filterableDomainStates)[number];

/** The orders a domain listing sorts by: its key (bytewise), when last seen, how many confirm it. */
export const domainSorts = ['name', 'lastSeen', 'confirmations'] as const;
export type DomainSort = (typeof domainSorts)[number];

/** What each state means, in the words the console and the README use. */
export const domainStateMeaning: Record<DomainState, string> = {
  listed: 'on the latest version of the list',
  excluded: 'not on the list, and an exclusion keeps it off',
  candidate: 'not on the list; at least one organisation confirmed a report on it',
  reported: 'not on the list; reported, but nobody has confirmed it yet',
};

/**
 * The state from the facts, in this order: being on the list wins (an exclusion takes it off
 * at the next build, and until then it is listed), then an exclusion, then a confirmation.
 */
export function domainState(facts: { listed: boolean; excluded: boolean; confirmed: boolean }): DomainState {
  if (facts.listed) return 'listed';
  if (facts.excluded) return 'excluded';
  return facts.confirmed ? 'candidate' : 'reported';
}

/** What the next build does with a domain, from whether it is listed now and whether the criteria include it. */
export type NextBuild = 'keeps' | 'removes' | 'adds' | 'leaves out';
export const nextBuild = (listed: boolean, included: boolean): NextBuild =>
  listed ? (included ? 'keeps' : 'removes') : included ? 'adds' : 'leaves out';
