/**
 * Reports and assessments. POST /v1/reports takes one report, a batch ({reports: [...]}),
 * or a stream of NDJSON lines (application/x-ndjson) for imports of any size.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../deps.ts';
import { idParam } from '../../schemas/common.ts';
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
import { importReports } from '../../services/report-import.ts';
import { assessReport, browseReports, readReport, submitReports } from '../../services/reports.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App, AppEnv } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';
import { HttpProblem, problem, zodProblem } from '../problem.ts';

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
      const caller = callerOf(c);
      if (body && typeof body === 'object' && 'reports' in body) {
        const batch = reportBatchInput.safeParse(body);
        if (!batch.success) throw new HttpProblem(zodProblem(batch.error, 422));
        return c.json(await submitReports(deps, { caller, input: batch.data.reports }), 200);
      }
      const single = reportInput.safeParse(body);
      if (!single.success) throw new HttpProblem(zodProblem(single.error, 422));
      const [result] = (await submitReports(deps, { caller, input: [body] })).results;
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
    async (c) => c.json(await browseReports(deps, { caller: callerOf(c), input: c.req.valid('query') }), 200),
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
    async (c) => c.json(await readReport(deps, { caller: callerOf(c), input: c.req.valid('param') }), 200),
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
        await assessReport(deps, {
          caller: callerOf(c),
          input: { reportId: c.req.valid('param').id, assessment: c.req.valid('json') },
        }),
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

/** The answer is NDJSON: the import's lines (services/report-import.ts), then {"summary": {...}} with the counts. */
async function importNdjson(c: Context<AppEnv>, deps: Deps): Promise<Response> {
  const caller = callerOf(c);
  const body = c.req.raw.body;
  if (!body) throw new HttpProblem(problem(400, 'empty_body', 'the NDJSON body is empty'));
  const { lines, summary } = await importReports(deps, { caller, input: body });
  const text = [...lines, { summary }].map((line) => JSON.stringify(line)).join('\n');
  return new Response(`${text}\n`, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
}
