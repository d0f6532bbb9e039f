/**
 * Why a domain is or is not on the list, and the analysts' decisions about it: exclusion,
 * restore, hostname policy. Each decision keeps its history and writes an audit row.
 */
import { assessmentFailures } from '../core/assessment-verdict.ts';
import { type Canonical, CanonicalizeError, canonicalize } from '../core/canonicalize.ts';
import { evaluate, noEvidence } from '../core/criteria.ts';
import { domainState } from '../core/domain-state.ts';
import type { ExclusionState, Granularity } from '../core/vocabulary.ts';
import { inTransaction, textArray } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import {
  exclusionHistory,
  exclusionInForce,
  insertExclusion,
  listDelistingRequests,
} from '../db/repositories/decisions.ts';
import { evidenceDetail } from '../db/repositories/domains.ts';
import { aggregateEvidence } from '../db/repositories/evidence.ts';
import { knownContentOfKey } from '../db/repositories/known.ts';
import { insertPolicy, policiesInForce, policyHistory, rekeyReports } from '../db/repositories/policies.ts';
import { listingHistory } from '../db/repositories/snapshots.ts';
import { withholdingHistory } from '../db/repositories/withholdings.ts';
import type { Deps } from '../deps.ts';
import type { DomainPolicy, ExclusionDecision } from '../schemas/domains.ts';
import type { Call, Caller } from './caller.ts';
import { activeCriteria } from './criteria.ts';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.ts';

export async function explainDomain(deps: Deps, listKey: string) {
  const now = deps.clock();
  const criteria = await inTransaction(deps.db, activeCriteria);
  const [evidence] = await aggregateEvidence(deps.db, criteria.definition, now, textArray([listKey]));
  // With reports observed offline, the same aggregate as if they were online tells which criteria fail because of them.
  const [ifOnline] =
    evidence && evidence.offlineReports > 0
      ? await aggregateEvidence(deps.db, criteria.definition, now, textArray([listKey]), { countOffline: true })
      : [];
  const [detail, history, exclusions, policies, requests, knownContent, withholdings] = await Promise.all([
    evidenceDetail(deps.db, criteria.definition, now, listKey),
    listingHistory(deps.db, listKey),
    exclusionHistory(deps.db, listKey),
    policyHistory(deps.db, listKey),
    listDelistingRequests(deps.db, { listKey, limit: 50 }),
    knownContentOfKey(deps.db, criteria.definition, listKey),
    withholdingHistory(deps.db, listKey),
  ]);
  const excluded = exclusions[0]?.state === 'excluded';
  if (
    !evidence &&
    history.length === 0 &&
    exclusions.length === 0 &&
    policies.length === 0 &&
    withholdings.length === 0
  )
    throw new NotFoundError('unknown_domain', `nothing is known about ${listKey}`);
  const listed = history.some((h) => h.removedVersion === null);
  const base = evidence ?? noEvidence(listKey, excluded);
  const evaluation = evaluate({ ...base, ifOnline }, criteria.definition, now);
  const state = domainState({ listed, excluded, confirmed: detail.organisations.length > 0 });
  const decisions = [
    ...exclusions.map((e) => ({
      kind: e.state === 'excluded' ? ('exclusion' as const) : ('restore' as const),
      at: e.decidedAt,
      by: e.decidedBy,
      reason: e.reason,
    })),
    ...policies.map((p) => ({
      kind: 'policy' as const,
      at: p.setAt,
      by: p.setBy,
      reason: p.reason,
      detail: { granularity: p.granularity },
    })),
    // A national instance's withholdings of this key as an upstream entry (issue 17).
    ...withholdings.map((w) => ({
      kind: w.state === 'withheld' ? ('withholding' as const) : ('lift_withholding' as const),
      at: w.decidedAt,
      by: w.decidedBy,
      reason: w.reason,
      ...(w.category ? { detail: { category: w.category } } : {}),
    })),
    ...requests.map((r) => ({
      kind: 'delisting_request' as const,
      at: r.decidedAt ?? r.createdAt,
      by: r.decidedBy,
      reason: r.reason,
      detail: { id: r.id, state: r.state },
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  const { assessments, ...rest } = detail;
  return {
    listKey,
    state,
    excluded,
    withheld: withholdings[0]?.state === 'withheld',
    evaluation: { included: evaluation.included, criteriaVersion: criteria.version, criteria: evaluation.criteria },
    evidence: {
      reports: base.reports,
      offlineReports: base.offlineReports,
      confirmedAssessments: base.confirmedAssessments,
      latestOnlineAt: base.latestOnlineAt,
      ...rest,
      assessments: assessments.map((a) => ({
        ...a,
        // Why it does not count, in the criteria's terms; an assessment that is not a confirmation never counts.
        failing: a.verdict === 'confirmed' ? assessmentFailures(a, criteria.definition, now) : [],
      })),
      knownContent,
    },
    decisions,
    history,
  };
}

/**
 * The list key any hostname, URL or key falls under: its registrable domain, or the host
 * itself where the hostname policy in force says so (as intake keys reports).
 */
export async function resolveListKey(
  deps: Deps,
  input: string,
): Promise<{ canonical: Canonical; listKey: string; policy: Granularity }> {
  const canonical = canonicalize(input);
  if (canonical instanceof CanonicalizeError)
    throw new InvalidInputError(canonical.code, canonical.message, {
      errors: [{ field: 'url', message: canonical.message }],
    });
  const policy = (await policiesInForce(deps.db, [canonical.domain])).get(canonical.domain) ?? 'registrable';
  return { canonical, listKey: policy === 'hostname' ? canonical.host : canonical.listKey, policy };
}

/**
 * What is known under the key a hostname, URL or key falls under; `explanation` is null when
 * nothing is. A name that is itself a known list key is that key (keys made under a policy
 * since changed stay reachable).
 */
export async function lookUpDomain(deps: Deps, input: string) {
  const { canonical, listKey, policy } = await resolveListKey(deps, input);
  const explained = async (key: string) => {
    try {
      return await explainDomain(deps, key);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };
  const own = canonical.host !== listKey && canonical.host === input ? await explained(input) : null;
  if (own) return { host: canonical.host, listKey: input, policy, explanation: own };
  return { host: canonical.host, listKey, policy, explanation: await explained(listKey) };
}

/** The key a decision is about, as the list spells it; a URL or mixed case is not a list key. */
export function checkListKey(listKey: string): void {
  const canonical = canonicalize(listKey);
  if (canonical instanceof CanonicalizeError)
    throw new InvalidInputError(canonical.code, `${listKey} is not a list key: ${canonical.message}`, {
      field: 'listKey',
    });
  if (canonical.host !== listKey)
    throw new InvalidInputError('not_canonical', `write the list key as ${canonical.host}`, { field: 'listKey' });
}

export function excludeDomain(deps: Deps, { caller, input: { listKey, reason } }: Call<ExclusionRequest>) {
  checkListKey(listKey);
  return decideExclusion(deps, caller, listKey, 'excluded', reason);
}

export function restoreDomain(deps: Deps, { caller, input: { listKey, reason } }: Call<ExclusionRequest>) {
  return decideExclusion(deps, caller, listKey, 'restored', reason);
}

/** The key an exclusion decision is about, and why it is taken. */
interface ExclusionRequest {
  listKey: string;
  reason: string;
}

/** One exclusion decision: a new history row (the newest is in force) and its audit row, in one transaction. */
async function decideExclusion(
  deps: Deps,
  { principal: actor, ip }: Caller,
  listKey: string,
  state: ExclusionState,
  reason: string,
): Promise<ExclusionDecision> {
  const result = await inTransaction(deps.db, async (tx) => {
    const excluded = Boolean(await exclusionInForce(tx, listKey));
    if (state === 'excluded' && excluded) throw new ConflictError('already_excluded', `${listKey} is excluded already`);
    if (state === 'restored' && !excluded) throw new NotFoundError('not_excluded', `${listKey} is not excluded`);
    const at = deps.clock();
    const row = await insertExclusion(tx, { listKey, state, reason, decidedBy: actor.credentialId, decidedAt: at });
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: state === 'excluded' ? 'domain.exclude' : 'domain.restore',
      subject: `domain:${listKey}`,
      detail: { reason },
      ip,
      at,
    });
    return row;
  });
  deps.evidenceChanged?.();
  return result;
}

/**
 * Sets how a registrable domain is keyed. `hostname` lists each reported host on its own
 * (shared hosting); the domain's reports are re-keyed at once, the list at the next build.
 */
export async function setDomainPolicy(
  deps: Deps,
  {
    caller: { principal: actor, ip },
    input: { listKey, policy: input },
  }: Call<{ listKey: string; policy: { granularity: Granularity; reason: string } }>,
): Promise<DomainPolicy> {
  checkListKey(listKey);
  const canonical = canonicalize(listKey);
  if (!(canonical instanceof CanonicalizeError) && (canonical.kind !== 'domain' || canonical.domain !== listKey))
    throw new InvalidInputError('not_registrable', `a policy is set on a registrable domain (${listKey} is not one)`, {
      field: 'listKey',
    });
  const result = await inTransaction(deps.db, async (tx) => {
    const at = deps.clock();
    await insertPolicy(tx, {
      listKey,
      granularity: input.granularity,
      reason: input.reason,
      setBy: actor.credentialId,
      setAt: at,
    });
    const rekeyed = await rekeyReports(tx, listKey, input.granularity);
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'domain.policy',
      subject: `domain:${listKey}`,
      detail: { ...input, rekeyedReports: rekeyed },
      ip,
      at,
    });
    return { listKey, granularity: input.granularity, reason: input.reason, rekeyedReports: rekeyed };
  });
  deps.evidenceChanged?.();
  return result;
}
