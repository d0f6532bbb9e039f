/**
 * The RPZ as DNS records for zone transfers (issue 18). The records are read back from the
 * `rpz` artifact's own text (formats.ts renders it; nothing here restates its rules), so an
 * AXFR carries exactly the artifact's records. IXFR's differences come from the listing
 * intervals: the keys added and removed are rendered by the same renderer and read the same way.
 *
 * Pure: text and keys in, records and messages out.
 */
import type { Answer, SoaAnswer } from 'dns-packet';
import * as dnsPacket from 'dns-packet';
import { type Entry, type RenderContext, renderArtifact } from './formats.ts';

export type ZoneRecord = Answer & { name: string; ttl: number };
export interface Zone {
  soa: SoaAnswer & { ttl: number };
  /** Every record but the SOA, in the artifact's order (NS first, then the policy records). */
  records: ZoneRecord[];
}

/** Reads the rpz artifact's master file (the subset formats.ts writes: $TTL, SOA, NS, CNAME) under `origin`. */
export function parseRpz(text: string, origin: string): Zone {
  let ttl: number | undefined;
  let soa: Zone['soa'] | undefined;
  const records: ZoneRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(';')) continue;
    const fields = line.split(' ');
    if (fields[0] === '$TTL') {
      ttl = Number(fields[1]);
      continue;
    }
    if (ttl === undefined) throw new RangeError('rpz artifact: a record before $TTL');
    const [owner, type, ...data] = fields as [string, string, ...string[]];
    const name = owner === '@' ? origin : `${owner}.${origin}`;
    if (type === 'SOA' && data.length === 7) {
      const [mname, rname, serial, refresh, retry, expire, minimum] = data as [string, string, ...string[]];
      const [s, r, y, e, m] = [serial, refresh, retry, expire, minimum].map(Number) as number[];
      soa = {
        type: 'SOA',
        name,
        ttl,
        data: {
          mname: absolute(mname),
          rname: absolute(rname),
          serial: s,
          refresh: r,
          retry: y,
          expire: e,
          minimum: m,
        },
      };
    } else if ((type === 'NS' || type === 'CNAME') && data.length === 1)
      records.push({ type, name, ttl, data: absolute(data[0] as string) });
    else throw new RangeError(`rpz artifact: an unexpected line ${JSON.stringify(line)}`);
  }
  if (!soa) throw new RangeError('rpz artifact: no SOA');
  return { soa, records };
}

/** A fully qualified name as dns-packet takes it: no trailing dot, the root as '.'. */
function absolute(name: string): string {
  if (!name.endsWith('.')) throw new RangeError(`rpz artifact: a relative name ${JSON.stringify(name)}`);
  return name === '.' ? '.' : name.slice(0, -1);
}

/** The policy records of `keys` (sorted bytewise), as the rpz artifact would hold them. */
export function policyRecords(keys: readonly string[], context: RenderContext, origin: string): ZoneRecord[] {
  const entries: Entry[] = keys.map((key) => ({ key, since: context.version }));
  const text = new TextDecoder().decode(renderArtifact('rpz', entries, context));
  return parseRpz(text, origin).records.filter((record) => record.type === 'CNAME');
}

export function withSerial(soa: Zone['soa'], serial: number): Zone['soa'] {
  return { ...soa, data: { ...soa.data, serial } };
}

/** RFC 5936: the SOA, every other record, the SOA again. */
export function axfrRecords(zone: Zone): ZoneRecord[] {
  return [zone.soa, ...zone.records, zone.soa];
}

/**
 * RFC 1995 section 4, one condensed difference sequence: the new SOA, the client's SOA, what
 * it must delete, the new SOA, what it must add, the new SOA.
 */
export function ixfrRecords(
  newest: Zone['soa'],
  fromSerial: number,
  removed: readonly ZoneRecord[],
  added: readonly ZoneRecord[],
): ZoneRecord[] {
  return [newest, withSerial(newest, fromSerial), ...removed, newest, ...added, newest];
}

/** Wire size of one record (uncompressed, as dns-packet writes it). */
function recordSize(record: ZoneRecord): number {
  const name = (n: string) => (n === '.' ? 1 : Buffer.byteLength(n) + 2);
  if (record.type === 'SOA') return name(record.name) + 10 + name(record.data.mname) + name(record.data.rname) + 20;
  return name(record.name) + 10 + name((record as { data: string }).data);
}

/**
 * Answer messages for one transfer, each at most `maxBytes` before its TSIG (the 64 KiB TCP
 * limit less room for the record), the question in the first only, as BIND sends them.
 */
export function transferMessages(
  records: readonly ZoneRecord[],
  question: { name: string; type: 'AXFR' | 'IXFR' | 'SOA' },
  id: number,
  maxBytes = 60_000,
): Buffer[] {
  const messages: Buffer[] = [];
  const questionSize = Buffer.byteLength(question.name) + 2 + 4;
  let batch: ZoneRecord[] = [];
  let size = 12 + questionSize;
  const flush = () => {
    messages.push(
      dnsPacket.encode({
        type: 'response',
        id,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: messages.length === 0 ? [{ ...question, class: 'IN' }] : [],
        answers: batch,
      }),
    );
    batch = [];
    size = 12;
  };
  for (const record of records) {
    const bytes = recordSize(record);
    if (batch.length > 0 && size + bytes > maxBytes) flush();
    batch.push(record);
    size += bytes;
  }
  flush();
  return messages;
}
