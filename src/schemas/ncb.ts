/** Answer shapes of the NCB views: an NCB's ISPs (/v1/ncb/isps) and the operator's NCBs (/v1/ncbs). */
import { z } from '@hono/zod-openapi';
import { zoneTransferTypes } from '../core/vocabulary.ts';
import { nullableIsoOut } from './common.ts';

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

export type IspStatus = z.infer<typeof ispStatus>;
export type NcbStatus = z.infer<typeof ncbStatus>;
