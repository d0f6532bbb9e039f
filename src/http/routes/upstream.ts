/** A national instance's upstream (issue 17): its status, and the central webhook's notifications. */
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { VerificationError } from '../../core/verify.ts';
import type { Deps } from '../../deps.ts';
import { notificationReceipt, upstreamStatus } from '../../schemas/upstream.ts';
import { upstreamEntriesOf, upstreamManifestOf } from '../../services/upstream-pull.ts';
import { acceptNotification, upstreamStatus as readUpstreamStatus } from '../../services/upstream-sync.ts';
import { requirePullRoles, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonContent, problems } from '../openapi.ts';
import { HttpProblem, problem, problemResponse } from '../problem.ts';

/** A notification is one compact JWS of a few hundred bytes. */
const NOTIFICATION_MAX_BYTES = 8 * 1024;

const versionParam = z.object({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .openapi({ param: { name: 'version', in: 'path' } }),
});

export function registerUpstream(app: App, deps: Deps): void {
  const nationals = requireRoles(deps, 'admin', 'analyst', 'ncb');
  // Under /v1/list/ as the pulls are, so with the same credentials (Bearer or Basic).
  const chainReaders = requirePullRoles(deps, 'admin', 'analyst', 'ncb');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/list/{version}/upstream-manifest',
      operationId: 'getUpstreamManifest',
      tags: ['upstream'],
      summary: 'The upstream manifest JWS (verbatim) a national version was built from',
      middleware: [chainReaders],
      request: { params: versionParam },
      responses: {
        200: { description: 'The upstream manifest', content: { 'application/jose': { schema: z.string() } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const m = await upstreamManifestOf(deps, c.req.valid('param').version);
      return c.body(m.manifest, 200, {
        'content-type': 'application/jose',
        etag: `"${m.manifestSha256}"`,
        'x-upstream-version': String(m.upstreamVersion),
        'cache-control': 'private, max-age=31536000, immutable',
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/list/{version}/upstream-entries',
      operationId: 'getUpstreamEntries',
      tags: ['upstream'],
      summary:
        'The entries of the upstream version a national version was built from (its txt: the digest its manifest signs)',
      middleware: [chainReaders],
      request: { params: versionParam },
      responses: {
        200: { description: 'One key per line', content: { 'text/plain': { schema: z.string() } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const e = await upstreamEntriesOf(deps, c.req.valid('param').version);
      return c.body(e.txt as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'text/plain; charset=utf-8',
        'x-upstream-version': String(e.upstreamVersion),
        'cache-control': 'private, max-age=31536000, immutable',
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/upstream',
      operationId: 'getUpstream',
      tags: ['upstream'],
      summary: 'The central service this national instance follows: the last synced version, when, the last error',
      middleware: [nationals],
      responses: { 200: jsonContent(upstreamStatus, 'Upstream status'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await readUpstreamStatus(deps), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/upstream/notify',
      operationId: 'notifyUpstream',
      tags: ['upstream'],
      summary: "Register as the central service's webhook: its signed new-version notification starts a sync",
      description:
        'The body is the compact JWS the central webhook POSTs (typ wol-notification+jws), verified against ' +
        'the pinned WOL_UPSTREAM_JWKS; anything else answers 401 and changes nothing.',
      security: [],
      middleware: [
        bodyLimit({
          maxSize: NOTIFICATION_MAX_BYTES,
          onError: (c) =>
            problemResponse(
              c,
              problem(413, 'body_too_large', `the request body is larger than ${NOTIFICATION_MAX_BYTES} bytes`),
            ),
        }),
      ],
      request: { body: { content: { 'application/jose': { schema: z.string() } }, required: true } },
      responses: {
        202: jsonContent(notificationReceipt, 'Verified: a sync started, or the version is stored already'),
        ...problems(401, 404, 413),
      },
    }),
    async (c) => {
      try {
        const { version, started } = await acceptNotification(deps, await c.req.text());
        return c.json({ version, sync: started ? ('started' as const) : ('current' as const) }, 202);
      } catch (error) {
        if (error instanceof VerificationError)
          throw new HttpProblem(problem(401, 'bad_notification', `the notification does not verify: ${error.message}`));
        throw error;
      }
    },
  );
}
