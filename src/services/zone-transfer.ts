/**
 * What the DNS listener answers (issue 18): SOA, AXFR and IXFR of one zone, the RPZ of the
 * newest version, to TSIG-signed requests only. Everything else is REFUSED, and TSIG failures
 * NOTAUTH, whatever name was asked: the answer never depends on whether a name is listed.
 * Every transfer is recorded as a pull (format `rpz`, via `axfr` or `ixfr`).
 */
import * as dnsPacket from 'dns-packet';
import { axfrRecords, ixfrRecords, parseRpz, policyRecords, transferMessages } from '../core/rpz-zone.ts';
import { canonical, checkRequest, readTsig, signer, unsignedError } from '../core/tsig.ts';
import type { ZoneTransferType } from '../core/vocabulary.ts';
import { changesBetween, getArtifact, latestSnapshot, type SnapshotRow } from '../db/repositories/snapshots.ts';
import type { Deps } from '../deps.ts';
import type { ResolvedTsigKey } from './tsig-key-cache.ts';
import { resolveTsigKey } from './tsig-keys.ts';
import type { ParsedZone } from './zone-cache.ts';

const OPCODE_SHIFT = 11;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, REFUSED: 5, NOTAUTH: 9 } as const;

/** A request that cannot be read: the listener counts it and closes the connection. */
export class MalformedRequestError extends Error {
  override name = 'MalformedRequestError';
}

export type Outcome = ZoneTransferType | 'soa' | 'refused' | 'notauth' | 'servfail';

export interface DnsAnswer {
  messages: Buffer[];
  outcome: Outcome;
}

export async function answerDns(
  deps: Deps,
  request: Buffer,
  transport: 'tcp' | 'udp',
  ip: string,
): Promise<DnsAnswer | null> {
  let decoded: ReturnType<typeof dnsPacket.decode>;
  let tsig: ReturnType<typeof readTsig>;
  try {
    decoded = dnsPacket.decode(request);
    tsig = readTsig(request);
  } catch (error) {
    throw new MalformedRequestError((error as Error).message);
  }
  // Answers to us (a NOTIFY's reply) are not requests.
  if (decoded.type === 'response') return null;
  const zone = canonical(deps.config.WOL_RPZ_ZONE);
  const now = Math.floor(deps.clock().getTime() / 1000);
  const id = decoded.id ?? 0;
  const questions = decoded.questions ?? [];
  const question = questions[0];
  const reply = (rcode: number, answers: dnsPacket.Answer[] = []) =>
    dnsPacket.encode({
      type: 'response',
      id,
      flags:
        (request.readUInt16BE(2) & (0xf << OPCODE_SHIFT)) | rcode | (rcode === 0 ? dnsPacket.AUTHORITATIVE_ANSWER : 0),
      questions: question ? [question] : [],
      answers,
    });
  if (!tsig) return { messages: [reply(RCODE.REFUSED)], outcome: 'refused' };

  const resolved = await resolveTsigKey(deps, tsig.record.keyName);
  const check = checkRequest(request, now, (name) =>
    resolved && name === resolved.key.name ? resolved.key : undefined,
  );
  if (check.kind !== 'valid') {
    if (check.kind === 'unsigned') throw new MalformedRequestError('TSIG vanished');
    const answer = reply(RCODE.NOTAUTH);
    if (!check.key) return { messages: [unsignedError(answer, check.record, check.error)], outcome: 'notauth' };
    // BADTIME and BADTRUNC are signed; BADTIME tells the client our time (section 5.2.3).
    const otherData = Buffer.alloc(6);
    otherData.writeUInt16BE(Math.floor(now / 2 ** 32), 0);
    otherData.writeUInt32BE(now % 2 ** 32, 2);
    const signed = signer(check.key, check.record.mac)(answer, {
      now,
      error: check.error === 'BADTIME' ? 18 : 22,
      ...(check.error === 'BADTIME' ? { otherData, timeSigned: check.record.timeSigned } : {}),
    });
    return { messages: [signed], outcome: 'notauth' };
  }
  const key = resolved as ResolvedTsigKey;
  const sign = signer(key.key, check.record.mac);
  const signAll = (messages: Buffer[]) => messages.map((message) => sign(withId(message, id), { now }));
  const refuse = (): DnsAnswer => ({ messages: signAll([reply(RCODE.REFUSED)]), outcome: 'refused' });

  const opcode = (request.readUInt16BE(2) >> OPCODE_SHIFT) & 0xf;
  if (opcode !== 0 || questions.length !== 1 || !question || question.class !== 'IN') return refuse();
  if (canonical(question.name) !== zone) return refuse();
  const type = question.type;
  if (type !== 'SOA' && type !== 'AXFR' && type !== 'IXFR') return refuse();
  // AXFR over UDP does not exist (RFC 5936 section 4.2).
  if (type === 'AXFR' && transport === 'udp') return refuse();

  const latest = await deps.pullCache.latest(() => latestSnapshot(deps.db));
  const current = latest ? await zoneOf(deps, latest, zone) : undefined;
  if (!latest || !current) return { messages: signAll([reply(RCODE.SERVFAIL)]), outcome: 'servfail' };
  const asked = { name: question.name, type } as const;

  if (type === 'SOA') return { messages: signAll([reply(RCODE.NOERROR, [current.zone.soa])]), outcome: 'soa' };

  if (type === 'IXFR') {
    const clientSoa = decoded.authorities?.find((r) => r.type === 'SOA');
    const fromSerial = clientSoa?.type === 'SOA' ? clientSoa.data.serial : undefined;
    const oldestKept = Math.max(1, latest.version - deps.config.WOL_KEEP_VERSIONS + 1);
    if (fromSerial === latest.version || (transport === 'udp' && fromSerial !== undefined)) {
      // Current (a 304 in the pull records: its currency); or over UDP, where the answer would
      // not fit: the single SOA, and the client asks again over TCP (RFC 1995 section 2).
      if (fromSerial === latest.version) record(deps, key, latest.version, 'ixfr', ip, false);
      return { messages: signAll(transferMessages([current.zone.soa], asked, id)), outcome: 'ixfr' };
    }
    if (fromSerial !== undefined && fromSerial >= oldestKept && fromSerial < latest.version) {
      const { added, removed } = await changesBetween(deps.db, fromSerial, latest.version);
      const context = renderContext(deps, latest);
      const records = ixfrRecords(
        current.zone.soa,
        fromSerial,
        policyRecords(removed, context, zone),
        policyRecords(added, context, zone),
      );
      record(deps, key, latest.version, 'ixfr', ip, true);
      return { messages: signAll(transferMessages(records, asked, id)), outcome: 'ixfr' };
    }
    // Unknown, too old or ahead of us: the whole zone, AXFR-style (RFC 1995 section 4).
  }
  if (transport === 'udp') return refuse();
  current.axfr ??= transferMessages(axfrRecords(current.zone), { name: zone, type: 'AXFR' }, 0);
  const messages = current.axfr.map((message, i) =>
    i === 0 && type === 'IXFR' ? withQuestion(message, question.name) : message,
  );
  record(deps, key, latest.version, type === 'IXFR' ? 'ixfr' : 'axfr', ip, true);
  return { messages: signAll(messages), outcome: type === 'IXFR' ? 'ixfr' : 'axfr' };
}

function renderContext(deps: Deps, latest: SnapshotRow) {
  return {
    list: 'worst-of' as const,
    version: latest.version,
    createdAt: latest.createdAt,
    blockPageHost: deps.config.WOL_BLOCK_PAGE_HOST,
  };
}

/** The zone of the newest version, parsed from its stored rpz artifact once per process. */
async function zoneOf(deps: Deps, latest: SnapshotRow, origin: string): Promise<ParsedZone | undefined> {
  const cacheKey = `${latest.version}.${latest.manifestSha256}.rpz`;
  const cached = deps.zoneCache.current;
  if (cached?.key === cacheKey) return cached;
  const artifact = await deps.pullCache.artifact(cacheKey, () => getArtifact(deps.db, latest.version, 'rpz'));
  if (!artifact) return undefined;
  const fresh = { key: cacheKey, zone: parseRpz(new TextDecoder().decode(artifact.bytes), origin) };
  deps.zoneCache.current = fresh;
  return fresh;
}

/** A transfer is a pull; `served` false for an IXFR answered "you are current" (304: still its currency). */
function record(deps: Deps, key: ResolvedTsigKey, version: number, via: ZoneTransferType, ip: string, served: boolean) {
  deps.pullCache.recordPull({
    credentialId: key.credentialId,
    version,
    format: 'rpz',
    status: served ? 200 : 304,
    at: deps.clock(),
    ip,
    via,
  });
  deps.metrics?.pull({ role: key.role, format: 'rpz', status: served ? 200 : 304 });
}

function withId(message: Buffer, id: number): Buffer {
  const copy = Buffer.from(message);
  copy.writeUInt16BE(id, 0);
  return copy;
}

/** The first AXFR message re-encoded with an IXFR question (an IXFR answered by the whole zone). */
function withQuestion(message: Buffer, name: string): Buffer {
  const decoded = dnsPacket.decode(message);
  return dnsPacket.encode({ ...decoded, questions: [{ name, type: 'IXFR', class: 'IN' }] });
}
