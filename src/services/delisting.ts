/**
 * Delisting requests: a site owner asks for review (public, from the STOP page); analysts
 * decide. The public answer is the same whether or not the domain is listed, and the
 * request path never reads the list, so its timing says nothing either.
 */
import { CanonicalizeError, canonicalize } from '../core/canonicalize.ts';
import { sha256Hex } from '../core/tokens.ts';
import type { DelistingState } from '../core/vocabulary.ts';
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import {
  countDelistingRequests,
  decideDelistingRequest,
  exclusionInForce,
  getDelistingRequest,
  insertDelistingRequest,
  insertExclusion,
  listDelistingRequests,
} from '../db/repositories/decisions.ts';
import { keyStates } from '../db/repositories/known.ts';
import type { Deps } from '../deps.ts';
import type { DelistingDecision } from '../schemas/domains.ts';
import type { Call } from './caller.ts';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.ts';

export const DELISTING_RECEIVED =
  'Your request has been received. The list’s analysts review every request; if the domain is on the list and no longer qualifies, it is removed at the next build.';

export async function requestDelisting(
  deps: Deps,
  { caller: { ip }, input }: Call<{ domain: string; contact: string; statement: string }, null>,
) {
  const canonical = canonicalize(input.domain);
  if (canonical instanceof CanonicalizeError)
    throw new InvalidInputError(canonical.code, canonical.message, {
      errors: [{ field: 'domain', message: canonical.message }],
    });
  const now = deps.clock();
  const day = now.toISOString().slice(0, 10);
  const dedupeKey = sha256Hex(`${canonical.listKey}\n${input.contact.toLowerCase()}\n${day}`);
  const row = await inTransaction(deps.db, async (tx) => {
    const stored = await insertDelistingRequest(tx, {
      listKey: canonical.listKey,
      host: canonical.host,
      contact: input.contact,
      statement: input.statement,
      dedupeKey,
      createdAt: now,
    });
    await recordAudit(tx, {
      actor: null,
      action: 'delisting.request',
      subject: `delisting:${stored.id}`,
      ip,
      at: now,
    });
    return stored;
  });
  return { id: row.id, status: 'received' as const, message: DELISTING_RECEIVED };
}

/** How many requests each state holds. */
export const delistingCounts = (deps: Deps) => countDelistingRequests(deps.db);

export async function browseDelistingRequests(
  deps: Deps,
  query: { state?: DelistingState | undefined; limit: number },
) {
  const items = await listDelistingRequests(deps.db, { state: query.state, limit: query.limit });
  // Whether each requested domain is listed now: what an analyst weighs first.
  const states = await keyStates(deps.db, [...new Set(items.map((r) => r.listKey))]);
  return {
    items: items.map((r) => ({
      ...r,
      listedSince: states.get(r.listKey)?.listedSince ?? null,
      excluded: states.get(r.listKey)?.excluded ?? false,
    })),
  };
}

/** Accepting excludes the domain (unless it is already); both outcomes keep the reason. */
export async function decideDelisting(
  deps: Deps,
  {
    caller: { principal: actor, ip },
    input: { id, decision: input },
  }: Call<{ id: string; decision: DelistingDecision }>,
) {
  const result = await inTransaction(deps.db, async (tx) => {
    const request = await getDelistingRequest(tx, id);
    if (!request) throw new NotFoundError('unknown_request', `no delisting request ${id}`);
    if (request.state !== 'open')
      throw new ConflictError('already_decided', `the request was ${request.state} already`);
    const at = deps.clock();
    const decided = await decideDelistingRequest(tx, id, {
      state: input.decision === 'accept' ? 'accepted' : 'rejected',
      decidedBy: actor.credentialId,
      decidedAt: at,
      reason: input.reason,
    });
    if (input.decision === 'accept' && !(await exclusionInForce(tx, request.listKey)))
      await insertExclusion(tx, {
        listKey: request.listKey,
        state: 'excluded',
        reason: `delisting request ${id} accepted: ${input.reason}`,
        decidedBy: actor.credentialId,
        decidedAt: at,
      });
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: `delisting.${input.decision}`,
      subject: `delisting:${id}`,
      detail: { listKey: request.listKey, reason: input.reason },
      ip,
      at,
    });
    return decided!;
  });
  deps.evidenceChanged?.();
  return result;
}
