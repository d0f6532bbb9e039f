/**
 * TSIG (RFC 8945) by its rules, with MACs recomputed here from the section 4.3 layout by
 * hand, and against a real peer: `dig -y` signs requests this module must accept, and
 * checks the answers this module signs (dig says "tsig verify failure" otherwise).
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import {
  checkRequest,
  nameToWire,
  readTsig,
  signer,
  TsigFormatError,
  type TsigKey,
  type TsigRecord,
  unsignedError,
  verifier,
} from '../src/core/tsig.ts';
import { hasBinaries } from './support/resolver.ts';

const run = promisify(execFile);
const secret = Buffer.from('c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg==', 'base64');
const key: TsigKey = { name: 'isp-one.worstof', algorithm: 'hmac-sha256', secret };
const now = 1_763_800_000;
const find = (name: string) => (name === key.name ? key : undefined);

function query(id = 4321): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: 0,
    questions: [{ type: 'SOA', name: 'rpz.worstof', class: 'IN' }],
  });
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

describe('the MAC (section 4.3)', () => {
  it('covers the message without the record, then the variables in canonical form', () => {
    const signed = signer({ ...key, name: 'ISP-One.Worstof.' })(query(), { now });
    const read = readTsig(signed);
    // Time signed is 48 bits: 0x0000 then the 32 low bits.
    const time = Buffer.concat([u16(0), Buffer.alloc(4)]);
    time.writeUInt32BE(now, 2);
    const expected = createHmac('sha256', secret)
      .update(query())
      .update(nameToWire('isp-one.worstof'))
      .update(Buffer.from([0, 255, 0, 0, 0, 0]))
      .update(nameToWire('hmac-sha256'))
      .update(Buffer.concat([time, u16(300), u16(0), u16(0)]))
      .digest();
    expect(read?.record.mac).toEqual(expected);
    expect(read?.record.keyName).toBe('isp-one.worstof');
    expect(read?.covered).toEqual(query());
    expect(signed.readUInt16BE(10)).toBe(1);
  });

  it('an answer covers the request MAC first; each later message the prior MAC and the timers only (5.3.1)', () => {
    const requestMac = Buffer.alloc(32, 7);
    const sign = signer(key, requestMac);
    const first = sign(query(9), { now });
    const second = sign(query(9), { now: now + 1 });
    const firstMac = readTsig(first)?.record.mac as Uint8Array;
    const timers = Buffer.alloc(8);
    timers.writeUInt32BE(now + 1, 2);
    timers.writeUInt16BE(300, 6);
    const expected = createHmac('sha256', secret)
      .update(Buffer.concat([u16(32), firstMac]))
      .update(query(9))
      .update(timers)
      .digest();
    expect(readTsig(second)?.record.mac).toEqual(expected);
    const verify = verifier(key, requestMac);
    expect(() => [verify(first), verify(second)]).not.toThrow();
    // Out of order, the chain breaks.
    expect(() => verifier(key, requestMac)(second)).toThrow(TsigFormatError);
  });

  it('hmac-sha512 signs with 64 octets', () => {
    const key512: TsigKey = { ...key, algorithm: 'hmac-sha512' };
    const check = checkRequest(signer(key512)(query(), { now }), now, () => key512);
    expect(check.kind).toBe('valid');
    expect(readTsig(signer(key512)(query(), { now }))?.record.mac.length).toBe(64);
  });
});

describe('checking a request (section 5.2)', () => {
  const signed = signer(key)(query(), { now });

  it('a good request is valid, within the 300 s fudge on either side', () => {
    expect(checkRequest(signed, now, find).kind).toBe('valid');
    expect(checkRequest(signed, now + 300, find).kind).toBe('valid');
    expect(checkRequest(signed, now - 300, find).kind).toBe('valid');
  });

  it('no TSIG: unsigned', () => expect(checkRequest(query(), now, find)).toEqual({ kind: 'unsigned' }));

  it('an unknown key or another algorithm: BADKEY', () => {
    expect(checkRequest(signed, now, () => undefined)).toMatchObject({ kind: 'invalid', error: 'BADKEY' });
    expect(checkRequest(signed, now, () => ({ ...key, algorithm: 'hmac-sha512' }))).toMatchObject({
      error: 'BADKEY',
    });
  });

  it('a wrong secret or a changed byte: BADSIG, before the time is looked at', () => {
    expect(checkRequest(signed, now, () => ({ ...key, secret: Buffer.alloc(32) }))).toMatchObject({
      error: 'BADSIG',
    });
    const tampered = Buffer.from(signed);
    tampered[3] = 1; // a flag bit
    expect(checkRequest(tampered, now + 10_000, find)).toMatchObject({ error: 'BADSIG' });
    expect(checkRequest(tampered, now, find)).not.toHaveProperty('key');
  });

  it('a right MAC outside the fudge: BADTIME, with the key to sign the answer; our fudge, not the client’s', () => {
    expect(checkRequest(signed, now + 301, find)).toMatchObject({ error: 'BADTIME', key });
    expect(checkRequest(signed, now - 301, find)).toMatchObject({ error: 'BADTIME' });
  });

  it('a truncated MAC: BADTRUNC; too short a MAC or a cut record: malformed', () => {
    // The record ends: MAC size (2), MAC (32), original ID, error, other length (2 each), no other data.
    const truncate = (length: number) => {
      const macAt = signed.length - 6 - 32;
      const rdlengthAt = signed.length - (nameToWire('hmac-sha256').length + 16 + 32) - 2;
      const out = Buffer.concat([signed.subarray(0, macAt + length), signed.subarray(macAt + 32)]);
      out.writeUInt16BE(length, macAt - 2);
      out.writeUInt16BE(out.readUInt16BE(rdlengthAt) - (32 - length), rdlengthAt);
      return out;
    };
    expect(checkRequest(truncate(16), now, find)).toMatchObject({ error: 'BADTRUNC' });
    expect(() => checkRequest(truncate(8), now, find)).toThrow(TsigFormatError);
    expect(() => checkRequest(signed.subarray(0, signed.length - 3), now, find)).toThrow(TsigFormatError);
    expect(() => checkRequest(Buffer.from([1, 2, 3]), now, find)).toThrow(TsigFormatError);
  });

  it('an unsigned error answer carries the request’s key and time, an empty MAC and the error', () => {
    const answer = dnsPacket.encode({ type: 'response', id: 4321, flags: 9, questions: [] });
    const read = readTsig(unsignedError(answer, (readTsig(signed) as { record: TsigRecord }).record, 'BADSIG'));
    expect(read?.record).toMatchObject({ keyName: key.name, timeSigned: now, error: 16, originalId: 4321 });
    expect(read?.record.mac.length).toBe(0);
  });
});

const haveDig = hasBinaries('dig');
if (!haveDig) console.warn('tsig: skipping the dig tests, dig is absent (bind9-dnsutils)');

describe.skipIf(!haveDig)('against dig -y', () => {
  /** Answers one query from dig with `answer(request)`; returns dig's output. */
  async function withDig(args: string[], answer: (request: Buffer) => Buffer | null): Promise<string> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.on('message', (message, from) => {
      const reply = answer(message);
      if (reply) socket.send(reply, from.port, from.address);
    });
    try {
      const { stdout } = await run(
        'dig',
        ['@127.0.0.1', '-p', String(socket.address().port), '+time=2', '+tries=1', ...args],
        { encoding: 'utf8' },
      ).catch((error: { stdout: string }) => error);
      return stdout;
    } finally {
      socket.close();
    }
  }
  const digKey = `hmac-sha256:${key.name}:${secret.toString('base64')}`;

  function answerTo(request: Buffer, sign: (m: Buffer, requestMac: Uint8Array) => Buffer) {
    const read = readTsig(request);
    const decoded = dnsPacket.decode(request);
    const answer = dnsPacket.encode({
      type: 'response',
      id: decoded.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: decoded.questions,
      answers: [{ type: 'A', name: 'ok.rpz.worstof', ttl: 60, data: '192.0.2.1' }],
    });
    return sign(answer, read?.record.mac ?? new Uint8Array());
  }

  it('accepts what dig signs, and dig accepts what it signs back', async () => {
    let check: ReturnType<typeof checkRequest> | undefined;
    const out = await withDig(['-y', digKey, 'ok.rpz.worstof', 'A'], (request) => {
      check = checkRequest(request, Math.floor(Date.now() / 1000), find);
      return answerTo(request, (m, mac) => signer(key, mac)(m, { now: Math.floor(Date.now() / 1000) }));
    });
    expect(check?.kind).toBe('valid');
    expect(out).toContain('192.0.2.1');
    expect(out).not.toMatch(/verify failure|Couldn't verify/);
  });

  it('dig notices an answer signed with another secret', async () => {
    const out = await withDig(['-y', digKey, 'ok.rpz.worstof', 'A'], (request) =>
      answerTo(request, (m, mac) =>
        signer({ ...key, secret: Buffer.alloc(32, 1) }, mac)(m, { now: Math.floor(Date.now() / 1000) }),
      ),
    );
    expect(out).toMatch(/tsig verify failure|Couldn't verify/i);
  });

  it('dig signs with hmac-sha512 and a wrong secret is BADSIG', async () => {
    let check: ReturnType<typeof checkRequest> | undefined;
    await withDig(['-y', `hmac-sha512:${key.name}:${secret.toString('base64')}`, 'x.rpz.worstof', 'SOA'], (request) => {
      check = checkRequest(request, Math.floor(Date.now() / 1000), (name) => ({
        ...key,
        name,
        algorithm: 'hmac-sha512',
        secret: Buffer.alloc(32),
      }));
      return null;
    });
    expect(check).toMatchObject({ kind: 'invalid', error: 'BADSIG' });
  });
});
