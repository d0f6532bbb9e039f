/**
 * Zone transfers (issue 18): an AXFR of the RPZ of `entries` keys from the DNS listener,
 * TSIG-signed, taken by dig as an ISP's tooling would (it verifies every message's MAC and
 * reports the messages and bytes); then the IXFR after 1% churn (0.5% removed, 0.5% added)
 * against the AXFR of that same version. The first AXFR after a build reads the stored rpz
 * artifact and encodes the messages (cold); the next ones reuse them (warm, median of 3).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { hashToken } from '../src/core/tokens.ts';
import { queryRows } from '../src/db/database.ts';
import type { Deps } from '../src/deps.ts';
import { startDnsListener } from '../src/dns/listener.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { type Caller, systemCaller } from '../src/services/caller.ts';
import { issueTsigKey } from '../src/services/tsig-keys.ts';
import { median, round } from './measure.ts';
import { resetEvidence, seedQualifying } from './seed.ts';
import { benchToken } from './server.ts';

const run = promisify(execFile);

interface Transfer {
  ms: number;
  records: number;
  messages: number;
  bytes: number;
}

export interface ZoneTransferFigure {
  entries: number;
  axfr: { coldMs: number; warmMs: number; records: number; messages: number; bytes: number };
  ixfr: {
    churn: string;
    ms: number;
    records: number;
    messages: number;
    bytes: number;
    axfrBytes: number;
    ratio: number;
  };
}

async function credentialId(deps: Deps, token: string): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    deps.db,
    sql`select id from credentials where token_hash = ${hashToken(token)}`,
  );
  return Number(row?.id);
}

/** One transfer by dig; its figures from dig's own statistics (`XFR size`, `Query time`). */
async function dig(port: number, tsig: string, type: string): Promise<Transfer> {
  const { stdout } = await run(
    'dig',
    ['@127.0.0.1', '-p', String(port), '+time=30', '+tries=1', '+noall', '+stats', '-y', tsig, 'rpz.worstof', type],
    { maxBuffer: 64 * 2 ** 20 },
  );
  const size = /XFR size: (\d+) records \(messages (\d+), bytes (\d+)\)/.exec(stdout);
  const time = /Query time: (\d+) msec/.exec(stdout);
  if (!size || !time || /failed|verify failure|Couldn't verify/i.test(stdout))
    throw new Error(`dig ${type} did not transfer:\n${stdout}`);
  return { ms: Number(time[1]), records: Number(size[1]), messages: Number(size[2]), bytes: Number(size[3]) };
}

export async function benchZoneTransfer(deps: Deps, entries: number): Promise<ZoneTransferFigure> {
  await resetEvidence(deps.db);
  await seedQualifying(deps.db, entries, new Date());
  const first = await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } });
  const admin = await credentialId(deps, await benchToken(deps, 'admin', 'operator'));
  const isp = await credentialId(deps, await benchToken(deps, 'isp', 'isp'));
  const caller: Caller = {
    principal: { credentialId: admin, role: 'admin', organisationId: null, organisationKind: null, country: null },
    ip: null,
    requestId: null,
  };
  const key = await issueTsigKey(deps, {
    caller,
    input: { credentialId: isp, key: { algorithm: 'hmac-sha256', notify: [] } },
  });
  const tsig = `${key.algorithm}:${key.name}:${key.secret}`;
  // One client asking as fast as it can: the per-source rate limit is not what is measured.
  const listener = await startDnsListener(
    { ...deps, config: { ...deps.config, WOL_DNS_RATE: 1_000_000 } },
    '127.0.0.1:0',
  );
  try {
    const cold = await dig(listener.port, tsig, 'AXFR');
    const warm: Transfer[] = [];
    for (let i = 0; i < 3; i++) warm.push(await dig(listener.port, tsig, 'AXFR'));

    const churn = Math.max(1, Math.floor(entries / 200));
    await deps.db.execute(
      sql`insert into exclusions (list_key, state, reason) select 'zz-list-' || k || '.com', 'excluded', 'bench churn' from generate_series(1, ${churn}) k`,
    );
    await seedQualifying(deps.db, churn, new Date(), 'zz-new-');
    const next = await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } });
    const ixfr = await dig(listener.port, tsig, `IXFR=${next.version - 1}`);
    const axfr = await dig(listener.port, tsig, 'AXFR');
    return {
      entries: first.entryCount,
      axfr: {
        coldMs: cold.ms,
        warmMs: median(warm.map((t) => t.ms)),
        records: cold.records,
        messages: cold.messages,
        bytes: cold.bytes,
      },
      ixfr: {
        churn: `${next.added} added, ${next.removed} removed`,
        ms: ixfr.ms,
        records: ixfr.records,
        messages: ixfr.messages,
        bytes: ixfr.bytes,
        axfrBytes: axfr.bytes,
        ratio: round(ixfr.bytes / axfr.bytes, 4),
      },
    };
  } finally {
    await listener.stop();
  }
}
