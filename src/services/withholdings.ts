/**
 * Withholdings (issue 17): a national analyst's decision that an upstream entry is not on
 * this country's list (a court order, national law), like an exclusion: a new history row
 * (the newest is in force) and its audit row in one transaction; the next build applies it.
 * Only a national instance has upstream entries to withhold.
 */

import type { WithholdingCategory, WithholdingState } from '../core/vocabulary.ts';
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { insertWithholding, withholdingInForce } from '../db/repositories/withholdings.ts';
import type { Deps } from '../deps.ts';
import type { Call, Caller } from './caller.ts';
import { checkListKey } from './domains.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { upstreamOf } from './upstream-sync.ts';

export function withholdDomain(
  deps: Deps,
  {
    caller,
    input: { listKey, category, reason },
  }: Call<{ listKey: string; category: WithholdingCategory; reason: string }>,
) {
  upstreamOf(deps);
  checkListKey(listKey);
  return decide(deps, caller, listKey, { state: 'withheld', category, reason });
}

export function liftWithholding(
  deps: Deps,
  { caller, input: { listKey, reason } }: Call<{ listKey: string; reason: string }>,
) {
  upstreamOf(deps);
  return decide(deps, caller, listKey, { state: 'lifted', category: null, reason });
}

async function decide(
  deps: Deps,
  { principal: actor, ip }: Caller,
  listKey: string,
  input: { state: WithholdingState; category: WithholdingCategory | null; reason: string },
) {
  const row = await inTransaction(deps.db, async (tx) => {
    const withheld = Boolean(await withholdingInForce(tx, listKey));
    if (input.state === 'withheld' && withheld)
      throw new ConflictError('already_withheld', `${listKey} is withheld already`);
    if (input.state === 'lifted' && !withheld) throw new NotFoundError('not_withheld', `${listKey} is not withheld`);
    const at = deps.clock();
    const inserted = await insertWithholding(tx, { listKey, ...input, decidedBy: actor.credentialId, decidedAt: at });
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: input.state === 'withheld' ? 'domain.withhold' : 'domain.lift_withholding',
      subject: `domain:${listKey}`,
      detail: { reason: input.reason, ...(input.category ? { category: input.category } : {}) },
      ip,
      at,
    });
    return inserted;
  });
  deps.evidenceChanged?.();
  return {
    listKey: row.listKey,
    state: row.state,
    category: row.category,
    reason: row.reason,
    decidedAt: row.decidedAt,
  };
}
