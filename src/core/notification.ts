/**
 * The new-version notification a webhook receives: a compact JWS (typ wol-notification+jws,
 * signed with the list's active key, so the JWK Set verifies it) whose payload names the
 * version and its manifest digest. A receiver then pulls the manifest and checks it as usual.
 */
import { z } from 'zod';

export const NOTIFICATION_TYP = 'wol-notification+jws';

export const notificationPayload = z.object({
  version: z.number().int().min(1),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  iat: z.number().int(),
});
export type NotificationPayload = z.infer<typeof notificationPayload>;

export function buildNotification(version: number, manifestSha256: string, issuedAt: Date): NotificationPayload {
  return { version, manifestSha256, iat: Math.floor(issuedAt.getTime() / 1000) };
}

/** The wait before retry `attempt` (2, 3, …): the base, doubled each time, capped at an hour. */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  return Math.min(3600, baseSeconds * 2 ** Math.max(0, attempt - 2));
}
