/**
 * The confirmation queue (issue 21): domains that meet every criterion but the number of
 * confirming countries or organisations, which is where listing waits. Ranked by how few
 * confirmations they need, then how recently their material was confirmed online, how many
 * reports they have, and the key. Nobody who confirmed is named. A reporter sees only domains
 * its organisation has not assessed and, where a country is missing, that no organisation of
 * its country confirmed.
 *
 * The build evaluates every key anyway, so it records the queue in its transaction
 * (recordCandidates) and pages read that table along an index: the queue is as of the last
 * build, which the answer names, and costs the same on the first page as on any other. The
 * reporter's rule is checked live on the keys a page reaches, so a domain a reporter has just
 * assessed leaves its pages at once. The cursor holds the last item's sort keys, so a page after
 * a build goes on where the previous one ended.
 */
import type { Criteria, Evidence } from '../core/criteria.ts';
import { confirmationCandidates, missingText } from '../core/known.ts';
import type { Db } from '../db/database.ts';
import { latestCommittedRun } from '../db/repositories/builds.ts';
import {
  candidatesPage,
  candidatesTotal,
  type QueueReader,
  replaceCandidates,
} from '../db/repositories/confirmation-queue.ts';
import type { Deps } from '../deps.ts';
import { encodeQueueCursor, type QueueCursor } from '../schemas/confirmation-queue.ts';
import type { Call } from './caller.ts';
import { pageOf } from './paging.ts';

/** The build's part, in its transaction: the queue among the keys it evaluated. */
export async function recordCandidates(
  tx: Db,
  evidence: readonly Evidence[],
  criteria: Criteria,
  now: Date,
  keys: readonly string[] | null,
): Promise<void> {
  await replaceCandidates(tx, confirmationCandidates(evidence, criteria, now), keys);
}

export async function confirmationQueue(
  deps: Deps,
  { caller, input: query }: Call<{ cursor?: QueueCursor | undefined; limit: number }>,
) {
  const actor = caller.principal;
  const reader: QueueReader =
    actor.role === 'reporter' ? { organisationId: actor.organisationId, country: actor.country } : null;
  // One after another: PGlite has one connection, and these are index reads.
  const asOf = await latestCommittedRun(deps.db);
  const total = await candidatesTotal(deps.db, reader);
  const rows = await candidatesPage(deps.db, reader, query.cursor, query.limit + 1);
  const { items: page, next } = pageOf(rows, query.limit, encodeQueueCursor);
  return {
    asOf: asOf ? { version: asOf.version, builtAt: asOf.startedAt } : null,
    total,
    items: page.map((c) => {
      const missing = { organisations: c.missingOrganisations, countries: c.missingCountries };
      return {
        listKey: c.listKey,
        missing: { ...missing, text: missingText(missing) },
        reports: c.reports,
        confirmingOrganisations: c.confirmingOrganisations,
        confirmingCountries: c.confirmingCountries,
        latestOnlineAt: c.latestMs === 0 ? null : new Date(c.latestMs),
      };
    }),
    nextCursor: next,
  };
}
