/**
 * NOTIFY (RFC 1996) to ISPs' secondaries after each new version (issue 18 item 4), Node only:
 * for every usable TSIG key that names secondaries, a NOTIFY for WOL_RPZ_ZONE signed with that
 * key, over UDP, to targets core/notify-target.ts allows, until the secondary answers, at most WOL_NOTIFY_ATTEMPTS times with doubling
 * pauses from WOL_NOTIFY_BACKOFF. In the background, as webhooks are: a build never waits;
 * a newer version ends the retries of an older one; stopDnsNotify (at shutdown) drops the
 * waiting retries.
 */
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { retryDelaySeconds } from '../core/notification.ts';
import { notifyTargetAllowed, parseNotifyTarget } from '../core/notify-target.ts';
import { readTsig, signer, type TsigKey } from '../core/tsig.ts';
import { notifyingTsigKeys } from '../db/repositories/tsig-keys.ts';
import type { Deps } from '../deps.ts';
import { unseal } from '../services/secret-seal.ts';

const ANSWER_TIMEOUT_MS = 2000;
const OPCODE_NOTIFY = 4 << 11;

export interface DnsNotifier {
  /** Starts notifying every secondary of `version`; never throws, never waits. */
  notify(version: number): void;
  stop(): Promise<void>;
}

export function dnsNotifier(deps: Deps): DnsNotifier {
  const tasks = new Set<Promise<void>>();
  const stopping = new AbortController();
  let newest = 0;
  return {
    notify(version) {
      newest = Math.max(newest, version);
      const task = notifyAll(deps, version, () => stopping.signal.aborted || newest > version, stopping.signal).catch(
        (error) => deps.log.error({ err: error, version }, 'could not send NOTIFY to the secondaries'),
      );
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
    },
    async stop() {
      stopping.abort();
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
  };
}

async function notifyAll(deps: Deps, version: number, superseded: () => boolean, signal: AbortSignal) {
  const rows = await notifyingTsigKeys(deps.db, deps.clock());
  if (rows.length === 0 || !deps.vault.sealingKey) return;
  const sealingKey = await deps.vault.sealingKey();
  const sends: Promise<void>[] = [];
  for (const row of rows) {
    const key: TsigKey = {
      name: row.name,
      algorithm: row.algorithm,
      secret: unseal(sealingKey, row.sealedSecret, row.name),
    };
    for (const text of row.notify) {
      const target = parseNotifyTarget(text);
      if (!target) continue;
      // A key made under a wider WOL_NOTIFY_ALLOW keeps its targets: they are checked again here.
      if (notifyTargetAllowed(target, deps.config.WOL_NOTIFY_ALLOW))
        sends.push(notifyOne(deps, key, target, text, version, superseded, signal));
      else {
        deps.metrics?.dnsNotify?.({ outcome: 'refused' });
        deps.log.warn({ notify: { target: text, key: row.name, version } }, 'NOTIFY target refused: not allowed');
      }
    }
  }
  await Promise.all(sends);
}

async function notifyOne(
  deps: Deps,
  key: TsigKey,
  target: NonNullable<ReturnType<typeof parseNotifyTarget>>,
  text: string,
  version: number,
  superseded: () => boolean,
  signal: AbortSignal,
) {
  const { WOL_NOTIFY_ATTEMPTS: attempts, WOL_NOTIFY_BACKOFF: backoff, WOL_RPZ_ZONE: zone } = deps.config;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      await sleep(retryDelaySeconds(attempt, backoff) * 1000, signal);
      if (superseded()) return;
    }
    const id = Math.floor(Math.random() * 0x10000);
    const message = dnsPacket.encode({
      type: 'query',
      id,
      flags: OPCODE_NOTIFY | dnsPacket.AUTHORITATIVE_ANSWER,
      questions: [{ name: zone, type: 'SOA', class: 'IN' }],
    });
    const signed = signer(key)(message, { now: Math.floor(deps.clock().getTime() / 1000) });
    const answer = await exchange(signed, target, id);
    const notify = { target: text, key: key.name, version, attempt };
    if (answer) {
      deps.metrics?.dnsNotify?.({ outcome: 'answered' });
      return deps.log.info({ notify, rcode: answer }, 'NOTIFY answered');
    }
    deps.log.warn({ notify }, 'NOTIFY not answered');
  }
  deps.metrics?.dnsNotify?.({ outcome: 'failed' });
}

/** Sends one NOTIFY; resolves with the answer's RCODE (as a number's text), or null when none comes in time. */
function exchange(message: Buffer, target: { address: string; port: number; family: 4 | 6 }, id: number) {
  return new Promise<string | null>((resolve) => {
    const socket = createSocket(target.family === 6 ? 'udp6' : 'udp4');
    const done = (value: string | null) => {
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), ANSWER_TIMEOUT_MS);
    socket.on('error', () => done(null));
    socket.on('message', (reply) => {
      try {
        const decoded = dnsPacket.decode(reply);
        if (decoded.id !== id || decoded.type !== 'response') return;
        readTsig(reply);
        done(String((decoded.flags ?? 0) & 0xf));
      } catch {
        // Not an answer we can read: wait for another or the timeout.
      }
    });
    socket.send(message, target.port, target.address, (error) => {
      if (error) done(null);
    });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
