/** /v1/ncb: what an NCB sees of its country's ISPs (which pull, and how current they are). */
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import { ispStatus, ncbStatus } from '../../schemas/ncb.ts';
import { ncbIspStatus, ncbSyncStatus } from '../../services/distribution.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonContent, problems } from '../openapi.ts';

export function registerNcb(app: App, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/ncbs',
      operationId: 'listNcbs',
      tags: ['ncb'],
      summary: "The NCBs: the version each last pulled or synced (a national instance's sync), when, how far behind",
      middleware: [requireRoles(deps, 'admin')],
      responses: { 200: jsonContent(ncbStatus, 'NCB sync status'), ...problems(401, 403) },
    }),
    async (c) => c.json(await ncbSyncStatus(deps), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/ncb/isps',
      operationId: 'listNcbIsps',
      tags: ['ncb'],
      summary:
        'The ISPs of your country: the version each last pulled, when, how far behind it is, and its zone transfers per credential',
      middleware: [requireRoles(deps, 'ncb')],
      responses: { 200: jsonContent(ispStatus, 'ISP pull status'), ...problems(401, 403) },
    }),
    async (c) => c.json(await ncbIspStatus(deps, { caller: callerOf(c) }), 200),
  );
}
