/** Request and answer shapes of /v1/webhooks and their deliveries. */
import { z } from '@hono/zod-openapi';
import { id, isoOut, text } from './common.ts';

/** An absolute http(s) URL without credentials: the signature, not a secret in the URL, proves the sender. */
export const webhookUrl = text()
  .trim()
  .max(2048)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected an absolute http:// or https:// URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: `only http and https URLs are accepted, not ${url.protocol}` });
    else if (url.username || url.password)
      ctx.addIssue({
        code: 'custom',
        message: 'a webhook URL may not carry credentials: verify the signature instead',
      });
  })
  .openapi({ example: 'https://ncb.example/worstof-hook' });

export const webhookInput = z
  .strictObject({
    url: webhookUrl,
    organisationId: id
      .optional()
      .openapi({ description: 'admin only: the organisation the webhook belongs to (an NCB’s is always its own)' }),
  })
  .openapi('WebhookInput');
export type WebhookInput = z.output<typeof webhookInput>;

export const delivery = z.object({
  version: z.number().int(),
  attempt: z.number().int(),
  status: z.number().int().nullable().openapi({ description: 'the HTTP status received; null when none was' }),
  error: z.string().nullable(),
  at: isoOut,
});

export const webhook = z
  .object({
    id: z.number().int(),
    organisationId: z.number().int().nullable(),
    url: z.string(),
    createdBy: z.number().int().nullable(),
    createdAt: isoOut,
    lastDelivery: delivery.nullable(),
  })
  .openapi('Webhook');
