/** /v1/delisting-requests: the public, rate-limited delisting form and the analysts' queue and decisions. */
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { delistingStates } from '../../core/vocabulary.ts';
import type { Deps } from '../../deps.ts';
import {
  delistingDecision,
  delistingInput,
  delistingQueueItem,
  delistingReceipt,
  delistingRequest,
} from '../../schemas/domains.ts';
import { browseDelistingRequests, decideDelisting, requestDelisting } from '../../services/delisting.ts';
import { callerOf, requestCaller, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';
import { problem, problemResponse } from '../problem.ts';
import { rateLimit } from '../rate-limit.ts';

/**
 * The largest public request body: the schema's longest fields (2048 + 320 + 5000 characters)
 * written in three-byte UTF-8 fit with room to spare; nothing bigger is read into memory.
 */
export const DELISTING_MAX_BYTES = 32 * 1024;

export function registerDelisting(app: App, deps: Deps): void {
  const analysts = requireRoles(deps, 'analyst', 'admin');
  // Counted before the body is read or validated: malformed and oversized requests use up the limit too.
  const limited = rateLimit(deps.limits.delisting, deps.clock);
  const bounded = bodyLimit({
    maxSize: DELISTING_MAX_BYTES,
    onError: (c) =>
      problemResponse(
        c,
        problem(413, 'body_too_large', `the request body is larger than ${DELISTING_MAX_BYTES} bytes`),
      ),
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/delisting-requests',
      operationId: 'requestDelisting',
      tags: ['delisting'],
      summary: 'Ask for a domain to be reviewed (public; the answer never says whether it is listed)',
      description:
        `Limited per client address (${deps.config.WOL_DELISTING_RATE} requests per ${deps.config.WOL_DELISTING_WINDOW} s on each ` +
        `instance; 429 with Retry-After past it) and to ${DELISTING_MAX_BYTES} bytes. The same domain and contact on ` +
        'the same UTC day is one request.',
      security: [],
      middleware: [limited, bounded],
      request: { body: jsonBody(delistingInput) },
      responses: { 202: jsonContent(delistingReceipt, 'Received'), ...problems(413, 422, 429) },
    }),
    async (c) =>
      c.json(await requestDelisting(deps, { caller: requestCaller(c, null), input: c.req.valid('json') }), 202),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/delisting-requests',
      operationId: 'listDelistingRequests',
      tags: ['delisting'],
      summary: 'Delisting requests (open ones oldest first)',
      middleware: [analysts],
      request: {
        query: z.object({
          state: z.enum(delistingStates).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: {
        200: jsonContent(z.object({ items: z.array(delistingQueueItem) }), 'Requests'),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => c.json(await browseDelistingRequests(deps, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/delisting-requests/{id}/decision',
      operationId: 'decideDelistingRequest',
      tags: ['delisting'],
      summary: 'Accept (excludes the domain) or reject a request, with a reason',
      middleware: [analysts],
      request: {
        params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }),
        body: jsonBody(delistingDecision),
      },
      responses: { 200: jsonContent(delistingRequest, 'Decided'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(
        await decideDelisting(deps, {
          caller: callerOf(c),
          input: { id: c.req.valid('param').id, decision: c.req.valid('json') },
        }),
        200,
      ),
  );
}
