/**
 * createApp(deps): the whole HTTP surface, the same on Node and on Workers. Routes are
 * thin: validate with zod, call a service, map the result; errors become problem+json here.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { UnofficialStatusCode } from 'hono/utils/http-status';
import type { Deps } from '../deps.ts';
import { registerConsole } from './console/index.ts';
import type { App, AppEnv } from './env.ts';
import { problem, problemResponse, toProblem, zodProblem } from './problem.ts';
import { requestIds } from './request-id.ts';
import { requestLog } from './request-log.ts';
import { registerBuilds } from './routes/builds.ts';
import { registerClient } from './routes/client.ts';
import { registerConfirmationQueue } from './routes/confirmation-queue.ts';
import { registerCredentials } from './routes/credentials.ts';
import { registerDelisting } from './routes/delisting.ts';
import { registerDocs } from './routes/docs.ts';
import { registerDomains } from './routes/domains.ts';
import { registerHealth } from './routes/health.ts';
import { registerKeys } from './routes/keys.ts';
import { registerKnown } from './routes/known.ts';
import { registerList } from './routes/list.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerNcb } from './routes/ncb.ts';
import { registerOrganisations } from './routes/organisations.ts';
import { registerReports } from './routes/reports.ts';
import { registerReview } from './routes/review.ts';
import { registerTaxii } from './routes/taxii.ts';
import { registerTsigKeys } from './routes/tsig-keys.ts';
import { registerUpstream } from './routes/upstream.ts';
import { registerWebhooks } from './routes/webhooks.ts';
import { registerWithholdings } from './routes/withholdings.ts';

export type { App } from './env.ts';

const CLIENT_CLOSED_REQUEST = 499 as UnofficialStatusCode;

export function createApp(deps: Deps): App {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success)
        return problemResponse(c, zodProblem(result.error as never, result.target === 'json' ? 422 : 400));
    },
  });

  app.use(requestIds);
  app.use(async (c, next) => {
    c.set('principal', null);
    c.set('clientIp', clientAddress(c.req.header('cf-connecting-ip'), c.env));
    await next();
  });
  app.use(requestLog(deps));
  // What a credential reads is confidential: no shared or browser cache may keep it, unless the
  // route said otherwise (the list's artifacts revalidate or are immutable, always private).
  app.use(async (c, next) => {
    await next();
    const credentialed = c.get('principal') !== null || c.req.header('authorization') !== undefined;
    if (credentialed && !c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'private, no-store');
  });
  // Only requests that carry a body are limited: reading c.req.raw on a GET would build a
  // whole Request on Node for nothing, on the path every ISP poll takes.
  app.use(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.header('content-type')?.startsWith('application/x-ndjson')) return next();
    return bodyLimit({
      maxSize: deps.config.WOL_MAX_BODY_BYTES,
      onError: (ctx) =>
        problemResponse(
          ctx,
          problem(413, 'body_too_large', `the request body is larger than ${deps.config.WOL_MAX_BODY_BYTES} bytes`),
        ),
    })(c, next);
  });

  registerHealth(app, deps);
  registerOrganisations(app, deps);
  registerCredentials(app, deps);
  registerTsigKeys(app, deps);
  registerReports(app, deps);
  registerReview(app, deps);
  registerKnown(app, deps);
  registerConfirmationQueue(app, deps);
  registerDomains(app, deps);
  registerWithholdings(app, deps);
  registerDelisting(app, deps);
  registerBuilds(app, deps);
  registerKeys(app, deps);
  registerList(app, deps);
  registerTaxii(app, deps);
  registerNcb(app, deps);
  registerUpstream(app, deps);
  registerWebhooks(app, deps);
  registerMetrics(app, deps);
  registerDocs(app, deps);
  registerClient(app, deps);
  registerConsole(app, deps);

  app.notFound((c) => problemResponse(c, problem(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    // The client went away mid-request (an upload cut off): whatever failed then is no fault of
    // ours and nobody reads the answer. nginx's 499 keeps it apart from our errors in logs and metrics.
    if (c.req.raw.signal.aborted) {
      deps.log.info({ requestId: c.get('requestId'), route: c.req.routePath }, 'client closed the request');
      return c.body(null, CLIENT_CLOSED_REQUEST);
    }
    const known = toProblem(error);
    if (known) {
      // A database that is down, read-only or slow answers 503: the operator still needs the cause.
      if (known.body.status >= 500)
        deps.log.warn({ err: error, requestId: c.get('requestId'), route: c.req.routePath }, known.body.code);
      return problemResponse(c, known.body, known.headers);
    }
    deps.log.error({ err: error, requestId: c.get('requestId'), route: c.req.routePath }, 'unhandled error');
    return problemResponse(c, problem(500, 'internal_error', 'an unexpected error occurred; quote the instance id'));
  });
  return app;
}

/**
 * The client's address: the socket's peer on Node, CF-Connecting-IP on Workers. Forwarded
 * headers are not trusted: rate limits keyed on them could be dodged by any caller.
 */
function clientAddress(fromWorkers: string | undefined, env: unknown): string {
  if (fromWorkers && (env as { WORKERS?: boolean } | undefined)?.WORKERS) return fromWorkers;
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
