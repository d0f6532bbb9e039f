/** The confirmation queue (issue 21): domains that wait only for another country's or organisation's confirmation. */
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { confirmationQueue, confirmationQueueQuery } from '../../schemas/confirmation-queue.ts';
import { confirmationQueue as readConfirmationQueue } from '../../services/confirmation-queue.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonContent, problems } from '../openapi.ts';

export function registerConfirmationQueue(app: App, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/confirmation-queue',
      operationId: 'getConfirmationQueue',
      tags: ['review'],
      summary: 'Domains that meet every criterion but the number of confirming countries or organisations',
      description:
        'Ranked by how few confirmations they need, then by the newest confirmation, then by report count. ' +
        'Nobody who confirmed is named. A reporter sees only domains its organisation has not assessed and, ' +
        'where a country is missing, that no organisation of its country confirmed.',
      middleware: [requireRoles(deps, 'reporter', 'analyst', 'admin')],
      request: { query: confirmationQueueQuery },
      responses: { 200: jsonContent(confirmationQueue, 'A page of the queue'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await readConfirmationQueue(deps, { caller: callerOf(c), input: c.req.valid('query') }), 200),
  );
}
