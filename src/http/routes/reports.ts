/**
 * Reports and assessments. POST /v1/reports takes one report, a batch ({reports: [...]}),
 * or a stream of NDJSON lines (application/x-ndjson) for imports of any size.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../deps.ts';
import { idParam } from '../../schemas/common.ts';
import type { KnownSummary } from '../../schemas/known.ts';
import {
  assessmentInput,
  assessmentRecorded,
  type BatchItemResult,
  batchResult,
  MAX_BATCH,
  report,
  reportBatchInput,
  reportCreated,
  reportInput,
  reportQuery,
} from '../../schemas/reports.ts';
import { assessReport, browseReports, readReport, submitReports } from '../../services/reports.ts';
import { principalOf, requireRoles } from '../auth.ts';
import type { App, AppEnv } from '../env.ts';
import { lineGroups } from '../ndjson.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';
import { HttpProblem, problem, zodProblem } from '../problem.ts';

const NDJSON_GROUP = 1000;
const NDJSON_MAX_LINE = 64 * 1024;
/** Rejections (and, apart, known items) an NDJSON answer lists one by one; past this they are only counted. */
const NDJSON_MAX_LISTED = 10_000;

export function registerReports(app: App, deps: Deps): void {
  const reporters = requireRoles(deps, 'reporter', 'analyst', 'admin');
  app.openAPIRegistry.register('ReportInput', reportInput);
  app.openAPIRegistry.register('ReportBatchInput', reportBatchInput);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/reports',
      operationId: 'submitReports',
      tags: ['reports'],
      summary: 'Submit a report, a batch of reports, or an NDJSON stream of reports',
      description:
        'Resubmitting an externalRef from the same organisation returns the stored report (200) and changes nothing. ' +
        `A batch holds up to ${MAX_BATCH} reports and answers per item. An NDJSON body (one report per line) is read ` +
        'as a stream; the answer lists the rejected lines and ends with a summary line.',
      middleware: [reporters],
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/ReportInput' },
                  { $ref: '#/components/schemas/ReportBatchInput' },
                ],
              },
            },
            'application/x-ndjson': { schema: { type: 'string', description: 'one ReportInput per line' } },
          },
        },
      },
      responses: {
        200: jsonContent(z.union([reportCreated, batchResult]), 'The report existed already, or the batch result'),
        201: jsonContent(reportCreated, 'Created'),
        ...problems(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('application/x-ndjson')) return importNdjson(c, deps) as never;
      if (!/^application\/(.+\+)?json/.test(type))
        throw new HttpProblem(problem(415, 'unsupported_media_type', 'send application/json or application/x-ndjson'));
      const body = await c.req.json().catch(() => {
        throw new HttpProblem(problem(400, 'malformed_json', 'the body is not valid JSON'));
      });
      const actor = principalOf(c);
      if (body && typeof body === 'object' && 'reports' in body) {
        const batch = reportBatchInput.safeParse(body);
        if (!batch.success) throw new HttpProblem(zodProblem(batch.error, 422));
        return c.json(await submitReports(deps, actor, batch.data.reports, c.get('clientIp')), 200);
      }
      const single = reportInput.safeParse(body);
      if (!single.success) throw new HttpProblem(zodProblem(single.error, 422));
      const [result] = (await submitReports(deps, actor, [body], c.get('clientIp'))).results;
      if (!result || result.status === 'rejected') throw itemProblem(result);
      const { id, url, host, listKey, known } = result as Required<BatchItemResult>;
      return c.json({ id, url, host, listKey, known }, result.status === 'created' ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports',
      operationId: 'listReports',
      tags: ['reports'],
      summary: 'List reports, newest first (reporters see their own organisation’s)',
      middleware: [reporters],
      request: { query: reportQuery },
      responses: {
        200: jsonContent(
          z.object({ items: z.array(report), nextCursor: z.number().int().nullable() }),
          'A page of reports',
        ),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => c.json(await browseReports(deps, principalOf(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/{id}',
      operationId: 'getReport',
      tags: ['reports'],
      summary: 'One report (reporters: their own organisation’s only)',
      middleware: [reporters],
      request: { params: idParam },
      responses: { 200: jsonContent(report, 'The report'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await readReport(deps, principalOf(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/reports/{id}/assessments',
      operationId: 'assessReport',
      tags: ['reports'],
      summary: 'Record your organisation’s assessment of a report (the latest one counts)',
      middleware: [reporters],
      request: { params: idParam, body: jsonBody(assessmentInput) },
      responses: {
        201: jsonContent(assessmentRecorded, 'Recorded, with the classifications elsewhere its hashes match'),
        ...problems(401, 403, 404, 422),
      },
    }),
    async (c) =>
      c.json(
        await assessReport(deps, principalOf(c), c.req.valid('param').id, c.req.valid('json'), c.get('clientIp')),
        201,
      ),
  );
}

function itemProblem(result: BatchItemResult | undefined): HttpProblem {
  const error = result?.error ?? { code: 'rejected', message: 'the report was rejected' };
  return new HttpProblem(
    problem(
      422,
      error.code,
      error.message,
      error.field ? { errors: [{ field: error.field, message: error.message }] } : {},
    ),
  );
}

/** Whether intake knew anything about an item: a report of its key or URL, a listing, an exclusion, a hash match. */
const knewSomething = (known: KnownSummary) =>
  known.listKey.reports > 0 || known.listKey.listed || known.listKey.excluded || known.content !== null;

/**
 * Reads the body a group of lines at a time, so memory does not grow with the file.
 * The answer is NDJSON: one line per rejected input line and one per accepted line about which
 * something was known (with `known`), then {"summary": {...}} with the counts of both.
 */
async function importNdjson(c: Context<AppEnv>, deps: Deps): Promise<Response> {
  const actor = principalOf(c);
  const body = c.req.raw.body;
  if (!body) throw new HttpProblem(problem(400, 'empty_body', 'the NDJSON body is empty'));
  const summary = { lines: 0, created: 0, existing: 0, rejected: 0, known: { key: 0, url: 0, listed: 0, content: 0 } };
  const listed: string[] = [];
  let knownListed = 0;
  const reject = (line: number, error: { code: string; message: string; field?: string | undefined }) => {
    summary.rejected++;
    if (listed.length < NDJSON_MAX_LISTED) listed.push(JSON.stringify({ line, status: 'rejected', error }));
  };
  for await (const group of lineGroups(body, NDJSON_GROUP, NDJSON_MAX_LINE)) {
    const items: unknown[] = [];
    const lineOf: number[] = [];
    for (const line of group) {
      summary.lines++;
      if (line.tooLong) {
        reject(line.number, {
          code: 'line_too_long',
          message: `the line is longer than ${NDJSON_MAX_LINE} characters`,
        });
        deps.metrics?.ingest({ created: 0, existing: 0, rejectedCodes: ['line_too_long'] });
        continue;
      }
      try {
        items.push(JSON.parse(line.text));
        lineOf.push(line.number);
      } catch {
        reject(line.number, { code: 'malformed_json', message: 'the line is not valid JSON' });
        deps.metrics?.ingest({ created: 0, existing: 0, rejectedCodes: ['malformed_json'] });
      }
    }
    if (items.length === 0) continue;
    const outcome = await submitReports(deps, actor, items, c.get('clientIp'));
    summary.created += outcome.summary.created;
    summary.existing += outcome.summary.existing;
    for (const result of outcome.results) {
      if (result.status === 'rejected' && result.error) reject(lineOf[result.index] ?? 0, result.error);
      const known = result.known;
      if (!known || !knewSomething(known)) continue;
      if (known.listKey.reports > 0) summary.known.key++;
      if (known.url.reports > 0) summary.known.url++;
      if (known.listKey.listed) summary.known.listed++;
      if (known.content) summary.known.content++;
      if (knownListed++ < NDJSON_MAX_LISTED)
        listed.push(JSON.stringify({ line: lineOf[result.index] ?? 0, status: result.status, id: result.id, known }));
    }
  }
  listed.push(JSON.stringify({ summary }));
  return new Response(`${listed.join('\n')}\n`, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
}
