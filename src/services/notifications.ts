/**
 * Tells every webhook that a new version exists: POSTs a signed JWS (core/notification.ts),
 * retrying with doubling back-off (WOL_WEBHOOK_ATTEMPTS, WOL_WEBHOOK_BACKOFF), each attempt
 * bounded by WOL_WEBHOOK_TIMEOUT and recorded in webhook_deliveries.
 *
 * A build calls notifyNewVersion after its transaction has committed and does not wait:
 * nothing a receiver does can slow or fail a build. Retries of a version stop once a newer
 * version has been sent to that webhook, or once the webhook is deleted. Deliveries live
 * in this process, in deps.notifier (notifier.ts): its stop() (at shutdown) lets attempts under
 * way finish and drops the retries still waiting; a receiver that missed one still polls the
 * timestamp.
 *
 * A target that is not public (core/webhook-target.ts), unless WOL_WEBHOOK_ALLOW names it,
 * is refused before any connection, and recorded as refused and nothing else: what such an
 * address did (answered, timed out, refused the connection) would map the service's network
 * for whoever registered it. A refusal is not retried.
 */
import { buildNotification, NOTIFICATION_TYP, retryDelaySeconds } from '../core/notification.ts';
import { signCompact } from '../core/signing.ts';
import { literalAddress, webhookTargetAllowed } from '../core/webhook-target.ts';
import { getSnapshot } from '../db/repositories/snapshots.ts';
import { activeWebhooks, getWebhook, insertDelivery, type WebhookRow } from '../db/repositories/webhooks.ts';
import type { Deps } from '../deps.ts';
import { activeSigningKey } from './keys.ts';
import { fetchWebhookSender, type WebhookSender, WebhookTargetRefused } from './webhook-sender.ts';

/** What a refused delivery records: no status, no timing, nothing the target did. */
export const REFUSED_DELIVERY = 'refused: target address not allowed';

/** Starts delivering `version` to every webhook in the background; never throws, never waits. */
export function notifyNewVersion(deps: Deps, version: number): void {
  // The secondaries of the DNS zone hear of it too, by NOTIFY, where the runtime can send it.
  deps.notifyDns?.(version);
  deps.notifier.track(
    deliverVersion(deps, version).catch((error) =>
      deps.log.error({ err: error, notification: { version } }, 'could not send the new-version notifications'),
    ),
  );
}

async function deliverVersion(deps: Deps, version: number): Promise<void> {
  const hooks = await activeWebhooks(deps.db);
  if (hooks.length === 0) return;
  const snapshot = await getSnapshot(deps.db, version);
  if (!snapshot) return;
  const payload = buildNotification(version, snapshot.manifestSha256, deps.clock());
  const jws = await signCompact(payload, await activeSigningKey(deps), NOTIFICATION_TYP);
  const { newest } = deps.notifier;
  for (const hook of hooks) newest.set(hook.id, Math.max(version, newest.get(hook.id) ?? 0));
  await Promise.all(hooks.map((hook) => deliver(deps, hook, version, jws)));
}

async function deliver(deps: Deps, hook: WebhookRow, version: number, jws: string) {
  const { WOL_WEBHOOK_ATTEMPTS: attempts, WOL_WEBHOOK_BACKOFF: backoff } = deps.config;
  const { stopping, newest } = deps.notifier;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      await sleep(retryDelaySeconds(attempt, backoff) * 1000, stopping);
      if (stopping.aborted) return;
      if ((newest.get(hook.id) ?? 0) > version) return;
      if ((await getWebhook(deps.db, hook.id))?.revokedAt !== null) return;
    }
    const { status, error, outcome } = await post(deps, hook.url, jws, version);
    deps.metrics?.notification({ outcome });
    await insertDelivery(deps.db, { webhookId: hook.id, version, attempt, status, error, at: deps.clock() }).catch(
      (e) => deps.log.error({ err: e, webhookId: hook.id }, 'could not record a webhook delivery'),
    );
    const notification = { webhookId: hook.id, version, attempt, status, error };
    if (outcome === 'delivered') return deps.log.info({ notification }, 'webhook delivered');
    if (outcome === 'refused') return deps.log.warn({ notification }, 'webhook target refused: not a public address');
    deps.log.warn({ notification }, 'webhook delivery failed');
  }
}

interface Attempt {
  status: number | null;
  error: string | null;
  outcome: 'delivered' | 'failed' | 'refused';
}

const refused: Attempt = { status: null, error: REFUSED_DELIVERY, outcome: 'refused' };

/** One attempt. Redirects are not followed (a 3xx is a failure): the registered URL is the target. */
async function post(deps: Deps, url: string, jws: string, version: number): Promise<Attempt> {
  const timeoutMs = deps.config.WOL_WEBHOOK_TIMEOUT * 1000;
  const allowed = (address: string) => webhookTargetAllowed(address, deps.config.WOL_WEBHOOK_ALLOW);
  const target = new URL(url);
  const literal = literalAddress(target);
  if (literal !== null && !allowed(literal)) return refused;
  const send: WebhookSender = deps.sendWebhook ?? fetchWebhookSender;
  try {
    const status = await send(
      target,
      {
        body: jws,
        headers: { 'content-type': 'application/jose', 'user-agent': 'worstof', 'x-list-version': String(version) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      allowed,
    );
    const delivered = status >= 200 && status < 300;
    return { status, error: delivered ? null : `answered ${status}`, outcome: delivered ? 'delivered' : 'failed' };
  } catch (error) {
    if (error instanceof WebhookTargetRefused) return refused;
    return { status: null, error: describe(error, timeoutMs), outcome: 'failed' };
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs / 1000} s`;
  // fetch puts the system error under `cause`; node:http raises it itself.
  const { code, cause } = error as { code?: string; cause?: { code?: string; message?: string } };
  return String(code ?? cause?.code ?? cause?.message ?? (error as Error).message ?? error).slice(0, 200);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    (timer as { unref?: () => void }).unref?.();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
