/**
 * Tells every webhook that a new version exists: POSTs a signed JWS (core/notification.ts),
 * retrying with doubling back-off (WOL_WEBHOOK_ATTEMPTS, WOL_WEBHOOK_BACKOFF), each attempt
 * bounded by WOL_WEBHOOK_TIMEOUT and recorded in webhook_deliveries.
 *
 * A build calls notifyNewVersion after its transaction has committed and does not wait:
 * nothing a receiver does can slow or fail a build. Retries of a version stop once a newer
 * version has been sent to that webhook, or once the webhook is deleted. Deliveries live
 * in this process: stopNotifications (at shutdown) lets attempts under way finish and
 * drops the retries still waiting; a receiver that missed one still polls the timestamp.
 */
import { buildNotification, NOTIFICATION_TYP, retryDelaySeconds } from '../core/notification.ts';
import { signCompact } from '../core/signing.ts';
import type { Db } from '../db/database.ts';
import { getSnapshot } from '../db/repositories/snapshots.ts';
import { activeWebhooks, getWebhook, insertDelivery, type WebhookRow } from '../db/repositories/webhooks.ts';
import type { Deps } from '../deps.ts';
import { activeSigningKey } from './keys.ts';

interface Dispatcher {
  tasks: Set<Promise<void>>;
  /** Aborted at shutdown: waiting retries end, no new retry starts. */
  stopping: AbortController;
  /** The newest version handed to each webhook: an older version's retries give way to it. */
  newest: Map<number, number>;
}

const dispatchers = new WeakMap<Db, Dispatcher>();

function dispatcherOf(db: Db): Dispatcher {
  let dispatcher = dispatchers.get(db);
  if (!dispatcher) {
    dispatcher = { tasks: new Set(), stopping: new AbortController(), newest: new Map() };
    dispatchers.set(db, dispatcher);
  }
  return dispatcher;
}

/** Starts delivering `version` to every webhook in the background; never throws, never waits. */
export function notifyNewVersion(deps: Deps, version: number): void {
  const dispatcher = dispatcherOf(deps.db);
  const task = deliverVersion(deps, dispatcher, version).catch((error) =>
    deps.log.error({ err: error, notification: { version } }, 'could not send the new-version notifications'),
  );
  dispatcher.tasks.add(task);
  void task.finally(() => dispatcher.tasks.delete(task));
}

/** Resolves when every delivery started so far has ended (retries included). For runtimes that must wait (Workers' waitUntil). */
export async function pendingNotifications(db: Db): Promise<void> {
  const dispatcher = dispatcherOf(db);
  while (dispatcher.tasks.size > 0) await Promise.allSettled([...dispatcher.tasks]);
}

/** At shutdown: attempts under way finish (each within its timeout); waiting retries are dropped. */
export async function stopNotifications(db: Db): Promise<void> {
  dispatcherOf(db).stopping.abort();
  await pendingNotifications(db);
}

async function deliverVersion(deps: Deps, dispatcher: Dispatcher, version: number): Promise<void> {
  const hooks = await activeWebhooks(deps.db);
  if (hooks.length === 0) return;
  const snapshot = await getSnapshot(deps.db, version);
  if (!snapshot) return;
  const payload = buildNotification(version, snapshot.manifestSha256, deps.clock());
  const jws = await signCompact(payload, await activeSigningKey(deps), NOTIFICATION_TYP);
  for (const hook of hooks) dispatcher.newest.set(hook.id, Math.max(version, dispatcher.newest.get(hook.id) ?? 0));
  await Promise.all(hooks.map((hook) => deliver(deps, dispatcher, hook, version, jws)));
}

async function deliver(deps: Deps, dispatcher: Dispatcher, hook: WebhookRow, version: number, jws: string) {
  const { WOL_WEBHOOK_ATTEMPTS: attempts, WOL_WEBHOOK_BACKOFF: backoff } = deps.config;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      await sleep(retryDelaySeconds(attempt, backoff) * 1000, dispatcher.stopping.signal);
      if (dispatcher.stopping.signal.aborted) return;
      if ((dispatcher.newest.get(hook.id) ?? 0) > version) return;
      if ((await getWebhook(deps.db, hook.id))?.revokedAt !== null) return;
    }
    const { status, error } = await post(hook.url, jws, version, deps.config.WOL_WEBHOOK_TIMEOUT * 1000);
    const delivered = status !== null && status >= 200 && status < 300;
    deps.metrics?.notification({ outcome: delivered ? 'delivered' : 'failed' });
    await insertDelivery(deps.db, { webhookId: hook.id, version, attempt, status, error, at: deps.clock() }).catch(
      (e) => deps.log.error({ err: e, webhookId: hook.id }, 'could not record a webhook delivery'),
    );
    if (delivered) {
      deps.log.info({ notification: { webhookId: hook.id, version, attempt, status } }, 'webhook delivered');
      return;
    }
    deps.log.warn({ notification: { webhookId: hook.id, version, attempt, status, error } }, 'webhook delivery failed');
  }
}

/** One attempt. Redirects are not followed (a 3xx is a failure): the registered URL is the target. */
async function post(
  url: string,
  jws: string,
  version: number,
  timeoutMs: number,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      body: jws,
      headers: { 'content-type': 'application/jose', 'user-agent': 'worstof', 'x-list-version': String(version) },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => {});
    return { status: response.status, error: response.ok ? null : `answered ${response.status}` };
  } catch (error) {
    return { status: null, error: describe(error, timeoutMs) };
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return String(cause?.code ?? cause?.message ?? (error as Error).message ?? error).slice(0, 200);
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
