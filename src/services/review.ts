/**
 * The review cycle. Observations say a report's material was found gone (or back): a report
 * whose latest observation says offline stops counting at the next build. The re-check queue
 * lists the listed domains due for a re-check before they would expire: computed now for the
 * API, and as the last build recorded it for the console (recordRecheckQueue in the build).
 */
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { latestCommittedRun } from '../db/repositories/builds.ts';
import { existingReportIds, insertObservations, type NewObservation } from '../db/repositories/observations.ts';
import { findReportsByRef, getReport } from '../db/repositories/reports.ts';
import {
  type QueueRow,
  recordedQueuePage,
  reportsToRecheck,
  reviewQueuePage,
} from '../db/repositories/review-queue.ts';
import type { Deps } from '../deps.ts';
import {
  encodeReviewCursor,
  type ObservationInput,
  type ObservationItemResult,
  observationItem,
  type ReviewCursor,
} from '../schemas/review.ts';
import { futureDateError, parseItems } from './batch.ts';
import type { Call } from './caller.ts';
import { activeCriteria } from './criteria.ts';
import { InvalidInputError, NotFoundError } from './errors.ts';
import { pageOf } from './paging.ts';
import { actingOrganisation } from './principal.ts';

const DAY_MS = 86_400_000;
/** Reports listed per queue item; `reportCount` has them all. */
const REPORTS_PER_ITEM = 50;

/** Records one observation of any organisation's report. */
export async function observeReport(
  deps: Deps,
  {
    caller: { principal: actor, ip },
    input: { reportId, observation: input },
  }: Call<{ reportId: number; observation: ObservationInput }>,
) {
  const organisationId = actingOrganisation(actor, 'record observations');
  const future = futureDateError(deps, { observedAt: input.observedAt });
  if (future)
    throw new InvalidInputError(future.code, future.message, {
      errors: [{ field: future.field, message: future.message }],
    });
  const observation = await inTransaction(deps.db, async (tx) => {
    if (!(await getReport(tx, reportId))) throw new NotFoundError('unknown_report', `no report ${reportId}`);
    const at = deps.clock();
    const [row] = await insertObservations(tx, [
      {
        reportId,
        organisationId,
        observedAt: input.observedAt,
        online: input.online,
        note: input.note ?? null,
        createdAt: at,
      },
    ]);
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'observation.record',
      subject: `report:${reportId}`,
      detail: { online: input.online, observedAt: input.observedAt.toISOString() },
      ip,
      at,
    });
    return row!;
  });
  deps.evidenceChanged?.();
  return observation;
}

/**
 * The bulk form. Every item is validated first (shape, date, the report it names); the valid
 * ones are then written in one transaction with one audit row, so none is half-applied.
 */
export async function recordObservations(
  deps: Deps,
  { caller: { principal: actor, ip }, input: items }: Call<readonly unknown[]>,
) {
  const organisationId = actingOrganisation(actor, 'record observations');
  const { parsed, rejected } = parseItems(items, observationItem, (item) =>
    futureDateError(deps, { observedAt: item.observedAt }),
  );
  const results: ObservationItemResult[] = [...rejected];

  await inTransaction(deps.db, async (tx) => {
    const ids = await existingReportIds(
      tx,
      parsed.flatMap(({ item }) => (item.reportId === undefined ? [] : [item.reportId])),
    );
    const refs = parsed.flatMap(({ item }) => (item.externalRef === undefined ? [] : [item.externalRef]));
    const byRef = new Map(
      (await findReportsByRef(tx, organisationId, [...new Set(refs)])).map((r) => [r.externalRef, r.id]),
    );
    const at = deps.clock();
    const valid: { index: number; row: NewObservation }[] = [];
    for (const { index, item } of parsed) {
      const reportId = item.reportId ?? byRef.get(item.externalRef ?? '');
      if (reportId === undefined || (item.reportId !== undefined && !ids.has(reportId))) {
        results.push({
          index,
          status: 'rejected',
          error:
            item.reportId !== undefined
              ? { code: 'unknown_report', message: `no report ${item.reportId}`, field: 'reportId' }
              : {
                  code: 'unknown_report',
                  message: `your organisation has no report ${item.externalRef}`,
                  field: 'externalRef',
                },
        });
        continue;
      }
      valid.push({
        index,
        row: {
          reportId,
          organisationId,
          observedAt: item.observedAt,
          online: item.online,
          note: item.note ?? null,
          createdAt: at,
        },
      });
    }
    if (valid.length === 0) return;
    const written = await insertObservations(
      tx,
      valid.map((v) => v.row),
    );
    // RETURNING gives the rows in the order of VALUES, chunk after chunk.
    written.forEach((row, i) => {
      results.push({ index: valid[i]!.index, status: 'recorded', id: row.id, reportId: row.reportId });
    });
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'observation.record',
      subject: `organisation:${organisationId}`,
      detail: {
        recorded: written.length,
        offline: valid.filter((v) => !v.row.online).length,
        reportIds: [...new Set(written.map((r) => r.reportId))],
      },
      ip,
      at,
    });
  });

  results.sort((a, b) => a.index - b.index);
  const recorded = results.filter((r) => r.status === 'recorded').length;
  if (recorded > 0) deps.evidenceChanged?.();
  return { summary: { recorded, rejected: results.length - recorded }, results };
}

/**
 * A page of the re-check queue, computed now: requested domains first, then the longest
 * unconfirmed. It follows every observation at once, so the API keeps it live.
 */
export async function reviewQueue(deps: Deps, query: { cursor?: ReviewCursor | undefined; limit: number }) {
  const now = deps.clock();
  const criteria = await inTransaction(deps.db, activeCriteria);
  const reviewAfterDays = deps.config.WOL_REVIEW_AFTER_DAYS;
  const { total, items: rows } = await reviewQueuePage(deps.db, {
    criteria: criteria.definition,
    reviewBefore: reviewBefore(deps, now),
    after: query.cursor,
    limit: query.limit + 1,
  });
  return { reviewAfterDays, total, ...(await withReports(deps, rows, query.limit, now)) };
}

/**
 * The same queue as the last build recorded it (the console's page and dashboard count: a
 * live computation costs seconds at 100,000 listings), with open delisting requests and
 * exclusions as they are now and the review age reckoned from now. Observations since the
 * build take effect at the next one. Empty before the first build.
 */
export async function recordedReviewQueue(deps: Deps, query: { cursor?: ReviewCursor | undefined; limit: number }) {
  const now = deps.clock();
  const asOf = await latestCommittedRun(deps.db);
  const reviewAfterDays = deps.config.WOL_REVIEW_AFTER_DAYS;
  if (!asOf) return { asOf: null, reviewAfterDays, total: 0, items: [], nextCursor: null };
  const { total, items: rows } = await recordedQueuePage(deps.db, {
    builtAt: asOf.startedAt,
    reviewBefore: reviewBefore(deps, now),
    after: query.cursor,
    limit: query.limit + 1,
  });
  return {
    asOf: { version: asOf.version, builtAt: asOf.startedAt },
    reviewAfterDays,
    total,
    ...(await withReports(deps, rows, query.limit, now)),
  };
}

const reviewBefore = (deps: Deps, now: Date) => new Date(now.getTime() - deps.config.WOL_REVIEW_AFTER_DAYS * DAY_MS);

/** The page of `rows` (limit + 1 read), each with its days left and the reports to re-check. */
async function withReports(deps: Deps, rows: QueueRow[], limit: number, now: Date) {
  const { items: page, next } = pageOf(rows, limit, encodeReviewCursor);
  const reports = await reportsToRecheck(
    deps.db,
    page.map((r) => r.listKey),
    REPORTS_PER_ITEM,
  );
  const items = page.map((row) => ({
    listKey: row.listKey,
    listedSince: row.listedSince,
    openDelistingRequests: row.openDelistingRequests,
    lastConfirmedAt: row.lastConfirmedAt,
    expiresAt: row.expiresAt,
    daysLeft: row.expiresAt === null ? 0 : Math.max(0, Math.floor((row.expiresAt.getTime() - now.getTime()) / DAY_MS)),
    reportCount: reports.get(row.listKey)?.count ?? 0,
    reports: reports.get(row.listKey)?.reports ?? [],
  }));
  return { items, nextCursor: next };
}
