/**
 * How one webhook POST goes out. notifications.ts checks the URL's literal host; a sender that
 * resolves names checks every address a name resolves to and connects only to a checked one
 * (node-webhook-sender.ts), so a name cannot point the service at an address it refuses, nor
 * switch to one between the check and the connection (DNS rebinding). Redirects are never
 * followed: the registered URL is the target.
 */

/** What a sender sends: the same for every webhook of a version, bar the URL. */
export interface WebhookPost {
  body: string;
  headers: Record<string, string>;
  signal: AbortSignal;
}

/**
 * Resolves with the status of the answer; rejects on a transport failure, with
 * WebhookTargetRefused when the name resolved to an address `allowed` refuses.
 */
export type WebhookSender = (url: URL, post: WebhookPost, allowed: (address: string) => boolean) => Promise<number>;

export class WebhookTargetRefused extends Error {
  override name = 'WebhookTargetRefused';
  constructor() {
    super('target address not allowed');
  }
}

/**
 * fetch, for Workers: the runtime resolves names itself and its fetch reaches no private
 * address, so only the literal host (checked by the caller) is ours to refuse.
 */
export const fetchWebhookSender: WebhookSender = async (url, post) => {
  const response = await fetch(url, { method: 'POST', ...post, redirect: 'manual' });
  await response.body?.cancel().catch(() => {});
  return response.status;
};
