/**
 * NOTIFY targets at send time (issue 18 item 4): a key made while WOL_NOTIFY_ALLOW named its
 * secondary's network keeps the target, but once the operator no longer allows it, no NOTIFY
 * goes there (logged and counted as refused); while allowed, the secondary gets a NOTIFY for
 * the zone signed with the key.
 */
import { createSocket, type Socket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAddressList } from '../src/core/address-list.ts';
import { readTsig } from '../src/core/tsig.ts';
import type { Deps } from '../src/deps.ts';
import { dnsNotifier } from '../src/dns/notify.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

let ctx: TestContext;
let a: Actors;
let secondary: Socket;
let received: Buffer[] = [];
let keyName: string;

beforeAll(async () => {
  ctx = await createTestContext({ WOL_NOTIFY_ATTEMPTS: '1' });
  a = await createActors(ctx);
  secondary = createSocket('udp4');
  secondary.on('message', (message, from) => {
    received.push(message);
    // Answer as a secondary does, so the notifier stops at the first attempt.
    const decoded = dnsPacket.decode(message);
    const answer = dnsPacket.encode({ type: 'response', id: decoded.id, flags: 4 << 11, questions: decoded.questions });
    secondary.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => secondary.bind(0, '127.0.0.1', resolve));
  const credential = await ok<{ id: number }>(
    ctx.call('POST', '/v1/credentials', {
      token: a.ncb,
      body: { organisationId: a.orgs.isp, role: 'isp', label: 'notify' },
    }),
  );
  // Made while the operator allowed loopback.
  const wider = createApp({
    ...ctx.deps,
    config: { ...ctx.deps.config, WOL_NOTIFY_ALLOW: parseAddressList('127.0.0.1') },
  });
  const res = await wider.request(`/v1/credentials/${credential.id}/tsig-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${a.ncb}`, 'content-type': 'application/json' },
    body: JSON.stringify({ notify: [`127.0.0.1:${secondary.address().port}`] }),
  });
  keyName = (await ok<{ name: string }>(res, 201)).name;
});
afterAll(async () => {
  await new Promise<void>((resolve) => secondary?.close(() => resolve()));
  await ctx?.close();
});

/** Runs one notifier round for `version` with `deps`; returns its log lines. */
async function notifyWith(deps: Deps, version: number) {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const notifier = dnsNotifier({ ...deps, log });
  notifier.notify(version);
  await notifier.stop();
  return lines;
}

describe(`NOTIFY targets at send time on ${databaseName}`, () => {
  it('a target the operator no longer allows gets nothing, and the refusal is logged', async () => {
    received = [];
    const lines = await notifyWith(ctx.deps, 1);
    expect(received).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'NOTIFY target refused: not allowed',
        notify: expect.objectContaining({ key: keyName }),
      }),
    );
  });

  it('an allowed target gets a NOTIFY for the zone, signed with the key', async () => {
    received = [];
    const lines = await notifyWith(
      { ...ctx.deps, config: { ...ctx.deps.config, WOL_NOTIFY_ALLOW: parseAddressList('127.0.0.0/8') } },
      1,
    );
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'NOTIFY answered' }));
    expect(received).toHaveLength(1);
    const notify = dnsPacket.decode(received[0] as Buffer);
    expect(((notify.flags ?? 0) >> 11) & 0xf).toBe(4);
    expect(notify.questions).toEqual([{ name: 'rpz.worstof', type: 'SOA', class: 'IN' }]);
    expect(readTsig(received[0] as Buffer)?.record.keyName).toBe(keyName);
  });
});
