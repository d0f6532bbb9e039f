import { createRoute, z } from '@hono/zod-openapi';
import { zoneTransferTypes } from '../../core/vocabulary.ts';
import type { Deps } from '../../deps.ts';
import { nullableIsoOut } from '../../schemas/common.ts';
import { ncbIspStatus, ncbSyncStatus } from '../../services/distribution.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonContent, problems } from '../openapi.ts';

export const ispStatus = z.object({
  latestVersion: z.number().int().nullable(),
  items: z.array(
    z.object({
      organisationId: z.number().int(),
      name: z.string(),
      credentials: z.number().int(),
      activeCredentials: z.number().int(),
      lastPulledVersion: z.number().int().nullable(),
      lastPulledFormat: z.string().nullable(),
      lastPulledAt: nullableIsoOut,
      versionsBehind: z.number().int().nullable(),
      /** Its credentials that take the RPZ by zone transfer (a TSIG key, or transfers recorded). */
      zoneTransfers: z.array(
        z.object({
          credentialId: z.number().int(),
          label: z.string(),
          usableKeys: z.number().int().openapi({ description: 'TSIG keys it may transfer with now' }),
          axfr: z.number().int().openapi({ description: 'whole-zone transfers' }),
          ixfr: z
            .number()
            .int()
            .openapi({ description: 'incremental transfers (an IXFR answered by the whole zone too)' }),
          serial: z
            .number()
            .int()
            .nullable()
            .openapi({ description: 'the newest version it has transferred or been told is current; null: none yet' }),
          versionsBehind: z.number().int().nullable(),
          lastVia: z.enum(zoneTransferTypes).nullable(),
          lastAt: nullableIsoOut,
        }),
      ),
    }),
  ),
});

/** The central operator's view of the NCBs: an ISP's row of the NCB view, with its country and no zone transfers. */
export const ncbStatus = z.object({
  latestVersion: ispStatus.shape.latestVersion,
  items: z.array(
    ispStatus.shape.items.element.omit({ zoneTransfers: true }).extend({
      country: z.string(),
      lastPulledVersion: z
        .number()
        .int()
        .nullable()
        .openapi({ description: 'the newest version its key pulled: a national instance, its last sync' }),
    }),
  ),
});

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
