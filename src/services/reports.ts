/**
 * Intake: reports (single, batch, streamed) and assessments. Every item is validated on
 * its own; the valid ones are written in one transaction with the audit row, so an item
 * is either wholly stored or not at all. Resubmitting an external reference changes nothing.
 */
import { CanonicalizeError, canonicalize } from '../core/canonicalize.ts';
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { insertContentHashes, matchContent, type NewHashRow } from '../db/repositories/known.ts';
import { policiesInForce } from '../db/repositories/policies.ts';
import {
  findReportsByRef,
  getAssessment,
  getReport,
  insertReports,
  listReports,
  type NewAssessment,
  type NewReport,
  upsertAssessments,
} from '../db/repositories/reports.ts';
import type { Deps } from '../deps.ts';
import {
  type AssessmentInput,
  type BatchItemResult,
  type ContentHash,
  type ReportInput,
  reportInput,
} from '../schemas/reports.ts';
import { futureDateError, parseItems } from './batch.ts';
import type { Call } from './caller.ts';
import { activeCriteria } from './criteria.ts';
import { InvalidInputError, NotFoundError } from './errors.ts';
import { whatIsKnown } from './known.ts';
import { pageOf } from './paging.ts';
import { actingOrganisation } from './principal.ts';

interface Valid {
  index: number;
  input: ReportInput;
  row: NewReport;
}

export interface BatchOutcome {
  summary: { created: number; existing: number; rejected: number };
  results: BatchItemResult[];
}

const assessmentDatesError = (deps: Deps, assessment: AssessmentInput, prefix = '') =>
  futureDateError(deps, { observedOnlineAt: assessment.observedOnlineAt }, prefix);

/** Validates every item; returns the valid ones and a rejection for each of the others. */
async function validate(deps: Deps, organisationId: number, items: readonly unknown[]) {
  const { parsed, rejected } = parseItems(
    items,
    reportInput,
    (input) =>
      futureDateError(deps, { reportedAt: input.reportedAt, observedOnlineAt: input.observedOnlineAt }) ??
      (input.assessment && assessmentDatesError(deps, input.assessment, 'assessment.')),
  );

  const canonical = parsed.map(({ index, item: input }) => ({ index, input, result: canonicalize(input.url) }));
  const domains = new Set<string>();
  for (const { result } of canonical) if (!(result instanceof CanonicalizeError)) domains.add(result.domain);
  const policies = await policiesInForce(deps.db, [...domains]);

  const valid: Valid[] = [];
  for (const { index, input, result } of canonical) {
    if (result instanceof CanonicalizeError) {
      rejected.push({ index, status: 'rejected', error: { code: result.code, message: result.message, field: 'url' } });
      continue;
    }
    const listKey = policies.get(result.domain) === 'hostname' ? result.host : result.listKey;
    valid.push({
      index,
      input,
      row: {
        organisationId,
        externalRef: input.externalRef,
        url: input.url,
        urlCanonical: result.url,
        host: result.host,
        domain: result.domain,
        listKey,
        reportedAt: input.reportedAt ?? null,
        observedOnlineAt: input.observedOnlineAt ?? input.assessment?.observedOnlineAt ?? null,
        receivedAt: deps.clock(),
      },
    });
  }
  return { valid, rejected };
}

/** The hashes a submission names its item by: the report's and its assessment's, each once. */
function hashesOf(input: ReportInput): ContentHash[] {
  const all = [...(input.contentHashes ?? []), ...(input.assessment?.contentHashes ?? [])];
  return [...new Map(all.map((h) => [`${h.algorithm}:${h.value}`, h])).values()];
}

const hashRows = (reportId: number, organisationId: number, hashes: readonly ContentHash[], at: Date): NewHashRow[] =>
  hashes.map((h) => ({ reportId, organisationId, algorithm: h.algorithm, value: h.value, createdAt: at }));

const toAssessmentRow = (
  reportId: number,
  organisationId: number,
  input: AssessmentInput,
  at: Date,
): NewAssessment => ({
  reportId,
  organisationId,
  analystRef: input.analystRef ?? null,
  assessedAt: at,
  observedOnlineAt: input.observedOnlineAt,
  verdict: input.verdict,
  realChild: input.realChild,
  apparentAge: input.apparentAge,
  severity: input.severity,
  contentType: input.contentType ?? null,
  note: input.note ?? null,
});

export async function submitReports(
  deps: Deps,
  { caller: { principal: actor, ip }, input: items }: Call<readonly unknown[]>,
): Promise<BatchOutcome> {
  const organisationId = actingOrganisation(actor, 'submit reports');
  const { valid, rejected } = await validate(deps, organisationId, items);

  // The first occurrence of an external reference in the batch is the one written; later ones are "existing".
  const firstByRef = new Map<string, Valid>();
  for (const item of valid) if (!firstByRef.has(item.input.externalRef)) firstByRef.set(item.input.externalRef, item);

  const accepted: BatchItemResult[] = await inTransaction(deps.db, async (tx) => {
    const now = deps.clock();
    // What was known before this submission, so an item's own report and assessment are not in it.
    const criteria = await activeCriteria(tx);
    const known = await whatIsKnown(
      tx,
      criteria.definition,
      now,
      valid.map((v) => ({ urlCanonical: v.row.urlCanonical, listKey: v.row.listKey, hashes: hashesOf(v.input) })),
    );
    const knownOf = new Map(valid.map((v, i) => [v.index, known[i]]));
    const inserted = await insertReports(
      tx,
      [...firstByRef.values()].map((v) => v.row),
    );
    const created = new Map(inserted.map((r) => [r.externalRef, r]));
    const missing = [...firstByRef.keys()].filter((ref) => !created.has(ref));
    const existing = new Map((await findReportsByRef(tx, organisationId, missing)).map((r) => [r.externalRef, r]));

    const newAssessments = inserted.flatMap((r) => {
      const assessment = firstByRef.get(r.externalRef)?.input.assessment;
      return assessment ? [toAssessmentRow(r.id, organisationId, assessment, now)] : [];
    });
    await upsertAssessments(tx, newAssessments);
    await insertContentHashes(
      tx,
      inserted.flatMap((r) => {
        const input = firstByRef.get(r.externalRef)?.input;
        return input ? hashRows(r.id, organisationId, hashesOf(input), now) : [];
      }),
    );

    const results = valid.map(({ index, input }): BatchItemResult => {
      const fresh = created.get(input.externalRef);
      const known = knownOf.get(index);
      if (fresh && firstByRef.get(input.externalRef)?.index === index)
        return {
          index,
          status: 'created',
          id: fresh.id,
          url: fresh.url,
          host: fresh.host,
          listKey: fresh.listKey,
          known,
        };
      const stored = fresh ?? existing.get(input.externalRef);
      if (!stored) throw new Error(`report ${input.externalRef} neither inserted nor found`);
      return {
        index,
        status: 'existing',
        id: stored.id,
        url: stored.url,
        host: stored.host,
        listKey: stored.listKey,
        known,
      };
    });
    if (inserted.length > 0)
      await recordAudit(tx, {
        actor: actor.credentialId,
        action: 'report.submit',
        subject: `organisation:${organisationId}`,
        detail: { created: inserted.length, assessments: newAssessments.length, reportIds: inserted.map((r) => r.id) },
        ip,
        at: now,
      });
    return results;
  });

  const results = [...accepted, ...rejected].sort((a, b) => a.index - b.index);
  const count = (status: BatchItemResult['status']) => results.filter((r) => r.status === status).length;
  const summary = { created: count('created'), existing: count('existing'), rejected: count('rejected') };
  deps.metrics?.ingest({ ...summary, rejectedCodes: rejected.map((r) => r.error?.code ?? 'rejected') });
  if (summary.created > 0) deps.evidenceChanged?.();
  return { summary, results };
}

/** The report an organisation may see: its own, or any for analysts and admins. */
export async function readReport(deps: Deps, { caller: { principal: actor }, input: { id } }: Call<{ id: number }>) {
  const row = await getReport(deps.db, id);
  const mayRead = actor.role === 'analyst' || actor.role === 'admin' || row?.organisationId === actor.organisationId;
  if (!row || !mayRead) throw new NotFoundError('unknown_report', `no report ${id} that you may read`);
  return row;
}

export async function assessReport(
  deps: Deps,
  {
    caller: { principal: actor, ip },
    input: { reportId, assessment: input },
  }: Call<{ reportId: number; assessment: AssessmentInput }>,
) {
  const organisationId = actingOrganisation(actor, 'submit reports');
  const error = assessmentDatesError(deps, input);
  if (error) throw new InvalidInputError(error.code, error.message, { field: error.field });
  const assessment = await inTransaction(deps.db, async (tx) => {
    const report = await getReport(tx, reportId);
    if (!report) throw new NotFoundError('unknown_report', `no report ${reportId}`);
    const now = deps.clock();
    const [id] = await upsertAssessments(tx, [toAssessmentRow(reportId, organisationId, input, now)]);
    const row = await getAssessment(tx, id!);
    const hashes = input.contentHashes ?? [];
    await insertContentHashes(tx, hashRows(reportId, organisationId, hashes, now));
    // Classifications of other reports that these hashes match: the item may be known already.
    const criteria = await activeCriteria(tx);
    const content = await matchContent(
      tx,
      criteria.definition,
      hashes.map((h) => ({ item: 0, ...h, excludeReport: reportId })),
    );
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'assessment.record',
      subject: `report:${reportId}`,
      detail: {
        verdict: input.verdict,
        severity: input.severity,
        apparentAge: input.apparentAge,
        realChild: input.realChild,
        contentHashes: hashes.length,
      },
      ip,
      at: now,
    });
    return { ...row!, knownContent: content.get(0) ?? null };
  });
  deps.evidenceChanged?.();
  return assessment;
}

export async function browseReports(
  deps: Deps,
  {
    caller: { principal: actor },
    input: query,
  }: Call<{ mine?: boolean | undefined; listKey?: string | undefined; cursor?: number | undefined; limit: number }>,
) {
  const seesAll = actor.role === 'analyst' || actor.role === 'admin';
  const organisationId = seesAll && !query.mine ? undefined : (actor.organisationId ?? -1);
  const rows = await listReports(deps.db, {
    organisationId,
    listKey: query.listKey,
    before: query.cursor,
    limit: query.limit + 1,
  });
  const { items, next } = pageOf(rows, query.limit, (last) => last.id);
  return { items, nextCursor: next };
}
