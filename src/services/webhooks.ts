/**
 * Webhooks: the URLs an NCB (or the operator) wants told when a new version exists. An NCB
 * manages its own organisation's; an admin any. Deleting one stops its deliveries at once.
 * Each write is audited in its transaction. Delivery itself is notifications.ts, which checks
 * where a name resolves to; a URL whose host is a non-public address is refused here already.
 */
import { literalAddress, webhookTargetAllowed } from '../core/webhook-target.ts';
import { inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { getOrganisation } from '../db/repositories/organisations.ts';
import {
  activeWebhooks,
  countActiveWebhooks,
  getWebhook,
  insertWebhook,
  latestDeliveries,
  revokeWebhook,
  type WebhookRow,
} from '../db/repositories/webhooks.ts';
import type { Deps } from '../deps.ts';
import type { WebhookInput } from '../schemas/webhooks.ts';
import type { Call } from './caller.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from './errors.ts';
import type { Principal } from './principal.ts';

/** Enough for a primary and a standby system, with room; it bounds the work each new version makes. */
export const MAX_WEBHOOKS_PER_ORGANISATION = 10;

async function ownerFor(deps: Deps, actor: Principal, requested: number | undefined): Promise<number | null> {
  if (actor.role !== 'admin') {
    if (requested !== undefined && requested !== actor.organisationId)
      throw new ForbiddenError('forbidden', 'an NCB registers webhooks for its own organisation only');
    return actor.organisationId;
  }
  if (requested === undefined) return actor.organisationId;
  if (!(await getOrganisation(deps.db, requested)))
    throw new InvalidInputError('unknown_organisation', `no organisation ${requested}`, { field: 'organisationId' });
  return requested;
}

export async function registerWebhook(deps: Deps, { caller, input }: Call<WebhookInput>) {
  const actor = caller.principal;
  const literal = literalAddress(new URL(input.url));
  if (literal !== null && !webhookTargetAllowed(literal, deps.config.WOL_WEBHOOK_ALLOW))
    throw new InvalidInputError(
      'webhook_target_not_allowed',
      'a webhook URL must name a public address: loopback, private, link-local and other non-public ones are refused',
      { field: 'url' },
    );
  const organisationId = await ownerFor(deps, actor, input.organisationId);
  return inTransaction(deps.db, async (tx) => {
    if ((await countActiveWebhooks(tx, organisationId)) >= MAX_WEBHOOKS_PER_ORGANISATION)
      throw new ConflictError(
        'too_many_webhooks',
        `an organisation may have at most ${MAX_WEBHOOKS_PER_ORGANISATION} webhooks: delete one first`,
      );
    const now = deps.clock();
    const row = await insertWebhook(tx, {
      organisationId,
      url: input.url,
      createdBy: actor.credentialId,
      createdAt: now,
    });
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'webhook.create',
      subject: `webhook:${row.id}`,
      detail: { organisationId, url: input.url },
      ip: caller.ip,
      at: now,
    });
    return { ...present(row), lastDelivery: null };
  });
}

/** An NCB sees its organisation's webhooks; an admin sees all. Each with its newest delivery attempt. */
export async function visibleWebhooks(deps: Deps, { caller }: Call) {
  const actor = caller.principal;
  const rows = await activeWebhooks(deps.db, actor.role === 'admin' ? undefined : actor.organisationId);
  const latest = await latestDeliveries(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const last = latest.get(row.id);
    return {
      ...present(row),
      lastDelivery: last
        ? { version: last.version, attempt: last.attempt, status: last.status, error: last.error, at: last.at }
        : null,
    };
  });
}

export async function removeWebhook(deps: Deps, { caller, input: { id } }: Call<{ id: number }>) {
  const actor = caller.principal;
  return inTransaction(deps.db, async (tx) => {
    const row = await getWebhook(tx, id);
    const mine = row && (actor.role === 'admin' || row.organisationId === actor.organisationId);
    if (!row || !mine || row.revokedAt)
      throw new NotFoundError('unknown_webhook', `no webhook ${id} that you may manage`);
    const now = deps.clock();
    const revoked = (await revokeWebhook(tx, id, now)) ?? row;
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'webhook.delete',
      subject: `webhook:${id}`,
      detail: { organisationId: row.organisationId },
      ip: caller.ip,
      at: now,
    });
    return { ...present(revoked), lastDelivery: null };
  });
}

const present = (row: WebhookRow) => ({
  id: row.id,
  organisationId: row.organisationId,
  url: row.url,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
});
