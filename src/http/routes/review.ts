/** The review cycle: observations of reports (one or in bulk) and the analysts' re-check queue. */
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { idParam } from '../../schemas/common.ts';
import {
  MAX_OBSERVATIONS,
  observation,
  observationBatchInput,
  observationBatchResult,
  observationInput,
  reviewQueue,
  reviewQueueQuery,
} from '../../schemas/review.ts';
import { observeReport, reviewQueue as readReviewQueue, recordObservations } from '../../services/review.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

export function registerReview(app: App, deps: Deps): void {
  const reporters = requireRoles(deps, 'reporter', 'analyst', 'admin');
  const analysts = requireRoles(deps, 'analyst', 'admin');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/reports/{id}/observations',
      operationId: 'observeReport',
      tags: ['review'],
      summary: 'Record that a report’s material was found offline (or online again)',
      description:
        'Any organisation may observe any report. A report whose latest observation (by observedAt) says offline ' +
        'stops counting as evidence at the next build; a later online observation makes it count again.',
      middleware: [reporters],
      request: { params: idParam, body: jsonBody(observationInput) },
      responses: { 201: jsonContent(observation, 'Recorded'), ...problems(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(
        await observeReport(deps, {
          caller: callerOf(c),
          input: { reportId: c.req.valid('param').id, observation: c.req.valid('json') },
        }),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/observations',
      operationId: 'recordObservations',
      tags: ['review'],
      summary: 'Record many observations at once, answered per item',
      description:
        `Up to ${MAX_OBSERVATIONS} items, each naming a report by reportId (any organisation’s) or by externalRef ` +
        '(your own organisation’s). Every item is checked first; the valid ones are written together, the others ' +
        'are answered with their error.',
      middleware: [reporters],
      request: { body: jsonBody(observationBatchInput) },
      responses: { 200: jsonContent(observationBatchResult, 'One result per item'), ...problems(401, 403, 413, 422) },
    }),
    async (c) =>
      c.json(await recordObservations(deps, { caller: callerOf(c), input: c.req.valid('json').observations }), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/review-queue',
      operationId: 'getReviewQueue',
      tags: ['review'],
      summary: 'Listed domains due for a re-check: those with an open delisting request first, then the oldest',
      description:
        'A listed domain is due when its newest online confirmation is older than WOL_REVIEW_AFTER_DAYS, or when an ' +
        'open delisting request names it. Each item says when it would stop qualifying and which reports to re-check.',
      middleware: [analysts],
      request: { query: reviewQueueQuery },
      responses: { 200: jsonContent(reviewQueue, 'A page of the queue'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await readReviewQueue(deps, c.req.valid('query')), 200),
  );
}
