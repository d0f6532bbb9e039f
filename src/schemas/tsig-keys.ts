/** TSIG keys of a credential: the request to make one, the once-shown secret, the listing. */
import { z } from '@hono/zod-openapi';
import { parseNotifyTarget } from '../core/notify-target.ts';
import { tsigAlgorithms } from '../core/tsig.ts';
import { isoOut, nullableIsoOut } from './common.ts';

const notifyTarget = z
  .string()
  .max(60)
  .refine((value) => parseNotifyTarget(value) !== null, {
    message: 'expected an IP address and port: 192.0.2.10:53 or [2001:db8::10]:53',
  })
  .openapi({ example: '192.0.2.10:53' });

export const tsigKeyInput = z
  .strictObject({
    algorithm: z.enum(tsigAlgorithms).default('hmac-sha256'),
    /** Secondaries to NOTIFY after each new version. */
    notify: z.array(notifyTarget).max(16).default([]),
  })
  .openapi('TsigKeyInput');
export type TsigKeyInput = z.output<typeof tsigKeyInput>;

export const tsigKey = z
  .object({
    name: z.string(),
    algorithm: z.enum(tsigAlgorithms),
    notify: z.array(z.string()),
    createdAt: isoOut,
    revokedAt: nullableIsoOut,
  })
  .openapi('TsigKey');

export const issuedTsigKey = z
  .object({
    name: z.string().openapi({ example: 'wol-isp-7-3f9a2c1b' }),
    algorithm: z.enum(tsigAlgorithms),
    secret: z.string().openapi({ description: 'base64 of 32 random bytes; shown once' }),
    notify: z.array(z.string()),
  })
  .openapi('IssuedTsigKey');
