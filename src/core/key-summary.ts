/**
 * A key's evidence as the build keeps it between builds (issue 16): the aggregate, its
 * verdict, and when it next changes by time alone. Evidence changes by time only as
 * assessments leave the criteria's window (assessments never enter it later: they count from
 * when they are written, the clock only moves on), so a summary stays exact until a write
 * names its key or `changesAt` passes; the build re-aggregates exactly those keys.
 */
import { type Criteria, type Evidence, evaluate, windowMs } from './criteria.ts';

export interface KeySummary {
  evidence: Evidence;
  /** evaluate()'s verdict when the summary was made. */
  included: boolean;
  /** The first moment after which the aggregate may differ without any write; null: never. */
  changesAt: Date | null;
}

/**
 * `earliestCountingAt`: the oldest `observed_online_at` among the assessments that count now. It
 * counts until `window` after it, and with it the organisation and country it brings. With none
 * counting, the newest confirmation leaving the window turns onlineWithinDays, which the
 * evaluation reads; once both are past, only a write can change the key.
 */
export function summarise(
  evidence: Evidence,
  earliestCountingAt: Date | null,
  criteria: Criteria,
  now: Date,
): KeySummary {
  const anchor = earliestCountingAt ?? evidence.latestOnlineAt;
  const until = anchor === null ? null : new Date(anchor.getTime() + windowMs(criteria));
  return {
    evidence,
    included: evaluate(evidence, criteria, now).included,
    changesAt: until !== null && until.getTime() >= now.getTime() ? until : null,
  };
}
