/**
 * TSIG (RFC 8945) on node:crypto: HMAC-SHA256 and HMAC-SHA512 over DNS messages in wire
 * form. No npm package signs TSIG, and the packet codec (dns-packet) cannot encode the
 * record, so this module works on the bytes: it finds the TSIG record a message ends with,
 * computes the MAC of section 4.3 (request MAC, message with the original ID and without
 * the record, TSIG variables), checks key, MAC and time in the order of section 5.2, and
 * signs answers, the messages of a multi-message answer as section 5.3.1 says (each after
 * the first covers the prior MAC and only the timers).
 *
 * Pure: the time comes in as an argument (seconds since the epoch).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const tsigAlgorithms = ['hmac-sha256', 'hmac-sha512'] as const;
export type TsigAlgorithm = (typeof tsigAlgorithms)[number];
const digests: Record<TsigAlgorithm, { hash: string; bytes: number }> = {
  'hmac-sha256': { hash: 'sha256', bytes: 32 },
  'hmac-sha512': { hash: 'sha512', bytes: 64 },
};

/** The fudge we sign with and hold clients to (section 10 recommends 300 s). */
export const FUDGE_SECONDS = 300;

/** TSIG error codes (section 4.3 and the IANA registry); the answer's RCODE is NOTAUTH for all three. */
export const tsigErrors = { NOERROR: 0, BADSIG: 16, BADKEY: 17, BADTIME: 18, BADTRUNC: 22 } as const;
export type TsigErrorName = Exclude<keyof typeof tsigErrors, 'NOERROR'>;

const TYPE_TSIG = 250;
const CLASS_ANY = 255;

export interface TsigKey {
  /** A domain name, compared case-insensitively, without the trailing dot. */
  name: string;
  algorithm: TsigAlgorithm;
  secret: Uint8Array;
}

export interface TsigRecord {
  keyName: string;
  algorithm: string;
  /** Seconds since the epoch (48 bits on the wire). */
  timeSigned: number;
  fudge: number;
  mac: Uint8Array;
  originalId: number;
  error: number;
  otherData: Uint8Array;
}

/** A message whose TSIG record cannot be read: the answer is FORMERR, or the connection closes. */
export class TsigFormatError extends Error {
  override name = 'TsigFormatError';
}

/**
 * The TSIG record a message ends with, and the bytes its MAC covers: the message before the
 * record with ARCOUNT one less and the original ID in the header. Null when it has none.
 */
export function readTsig(message: Uint8Array): { covered: Buffer; record: TsigRecord } | null {
  const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  if (bytes.length < 12) throw new TsigFormatError('shorter than a DNS header');
  const counts = [4, 6, 8, 10].map((at) => bytes.readUInt16BE(at)) as [number, number, number, number];
  const additionals = counts[3];
  if (additionals === 0) return null;
  let offset = 12;
  for (let i = 0; i < counts[0]; i++) offset = skipName(bytes, offset) + 4;
  const records = counts[1] + counts[2] + additionals - 1;
  for (let i = 0; i < records; i++) offset = skipRecord(bytes, offset);
  const start = offset;
  const owner = readName(bytes, offset);
  offset = owner.end;
  need(bytes, offset, 10);
  if (bytes.readUInt16BE(offset) !== TYPE_TSIG) return null;
  if (bytes.readUInt16BE(offset + 2) !== CLASS_ANY) throw new TsigFormatError('TSIG class is not ANY');
  const rdlength = bytes.readUInt16BE(offset + 8);
  const rdata = offset + 10;
  const end = rdata + rdlength;
  if (end !== bytes.length) throw new TsigFormatError('TSIG is not the last record');
  // The algorithm name is never compressed (section 4.2): read it as plain labels.
  const algorithm = readName(bytes, rdata, false);
  let at = algorithm.end;
  need(bytes, at, 10);
  const timeSigned = bytes.readUInt16BE(at) * 2 ** 32 + bytes.readUInt32BE(at + 2);
  const fudge = bytes.readUInt16BE(at + 6);
  const macSize = bytes.readUInt16BE(at + 8);
  at += 10;
  need(bytes, at, macSize + 6);
  const mac = bytes.subarray(at, at + macSize);
  at += macSize;
  const originalId = bytes.readUInt16BE(at);
  const error = bytes.readUInt16BE(at + 2);
  const otherLength = bytes.readUInt16BE(at + 4);
  at += 6;
  if (at + otherLength !== end) throw new TsigFormatError('TSIG record length does not add up');
  const covered = Buffer.from(bytes.subarray(0, start));
  covered.writeUInt16BE(originalId, 0);
  covered.writeUInt16BE(additionals - 1, 10);
  return {
    covered,
    record: {
      keyName: owner.name,
      algorithm: algorithm.name,
      timeSigned,
      fudge,
      mac: Buffer.from(mac),
      originalId,
      error,
      otherData: Buffer.from(bytes.subarray(at, end)),
    },
  };
}

export type RequestCheck =
  | { kind: 'unsigned' }
  | { kind: 'valid'; key: TsigKey; record: TsigRecord }
  /** `key` is set when the answer can be signed (BADTIME, BADTRUNC): the MAC itself was right. */
  | { kind: 'invalid'; error: TsigErrorName; record: TsigRecord; key?: TsigKey };

/**
 * Checks a request's TSIG as section 5.2 orders it: key (name and algorithm), MAC, time
 * (our fudge, whatever the client's says, so a client cannot widen the window), length.
 */
export function checkRequest(
  message: Uint8Array,
  now: number,
  findKey: (name: string) => TsigKey | undefined,
): RequestCheck {
  const read = readTsig(message);
  if (!read) return { kind: 'unsigned' };
  const { covered, record } = read;
  const key = findKey(record.keyName);
  if (!key || key.algorithm !== record.algorithm) return { kind: 'invalid', error: 'BADKEY', record };
  const full = digests[key.algorithm].bytes;
  // Section 5.2.2.1: a MAC longer than the digest, or shorter than half of it or 10 octets, is malformed.
  if (record.mac.length > full || record.mac.length < Math.max(10, full / 2))
    throw new TsigFormatError(`a ${record.mac.length}-octet MAC for ${key.algorithm}`);
  const expected = mac(key, [covered, variables(record)]).subarray(0, record.mac.length);
  if (!timingSafeEqual(expected, record.mac)) return { kind: 'invalid', error: 'BADSIG', record };
  if (Math.abs(now - record.timeSigned) > FUDGE_SECONDS) return { kind: 'invalid', error: 'BADTIME', record, key };
  // Our policy takes full-length MACs only.
  if (record.mac.length < full) return { kind: 'invalid', error: 'BADTRUNC', record, key };
  return { kind: 'valid', key, record };
}

export interface SignOptions {
  now: number;
  error?: number;
  otherData?: Uint8Array;
  /** The time to sign with instead of now (a BADTIME answer repeats the request's, section 5.2.3). */
  timeSigned?: number;
}

/**
 * Signs the messages of one answer in order: the first covers the request's MAC and the full
 * variables, each next one the MAC before it and the timers only (section 5.3.1). With no
 * request MAC (a NOTIFY we send) the first message is a request.
 */
export function signer(key: TsigKey, requestMac?: Uint8Array): (message: Uint8Array, options: SignOptions) => Buffer {
  let prior: Uint8Array | undefined;
  return (message, options) => {
    const record = recordFor(key, message, options);
    const parts: Uint8Array[] = [];
    if (prior) parts.push(withLength(prior), message, timers(record));
    else {
      if (requestMac) parts.push(withLength(requestMac));
      parts.push(message, variables(record));
    }
    record.mac = mac(key, parts);
    prior = record.mac;
    return appendRecord(message, record);
  };
}

/** An answer that cannot be signed (BADKEY, BADSIG): the request's key and time, an empty MAC. */
export function unsignedError(message: Uint8Array, request: TsigRecord, error: TsigErrorName): Buffer {
  return appendRecord(message, {
    ...request,
    mac: new Uint8Array(0),
    originalId: Buffer.from(message).readUInt16BE(0),
    error: tsigErrors[error],
    otherData: new Uint8Array(0),
  });
}

/**
 * Verifies the messages of an answer in order (the client's side of `signer`); throws on
 * a missing or wrong MAC. Every message must be signed: we sign every one.
 */
export function verifier(key: TsigKey, requestMac?: Uint8Array): (message: Uint8Array) => TsigRecord {
  let prior: Uint8Array | undefined;
  return (message) => {
    const read = readTsig(message);
    if (!read) throw new TsigFormatError('an unsigned message in a signed answer');
    const { covered, record } = read;
    if (record.keyName !== canonical(key.name) || record.algorithm !== key.algorithm)
      throw new TsigFormatError(`signed with ${record.keyName} (${record.algorithm}), not ${key.name}`);
    const parts = prior
      ? [withLength(prior), covered, timers(record)]
      : [...(requestMac ? [withLength(requestMac)] : []), covered, variables(record)];
    if (!timingSafeEqual(mac(key, parts), Buffer.from(record.mac)))
      throw new TsigFormatError('the MAC does not verify');
    prior = record.mac;
    return record;
  };
}

function recordFor(key: TsigKey, message: Uint8Array, options: SignOptions): TsigRecord {
  return {
    keyName: canonical(key.name),
    algorithm: key.algorithm,
    timeSigned: options.timeSigned ?? options.now,
    fudge: FUDGE_SECONDS,
    mac: new Uint8Array(0),
    originalId: Buffer.from(message).readUInt16BE(0),
    error: options.error ?? 0,
    otherData: options.otherData ?? new Uint8Array(0),
  };
}

function mac(key: TsigKey, parts: readonly Uint8Array[]): Buffer {
  const hmac = createHmac(digests[key.algorithm].hash, key.secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/** Section 4.3.3: names in canonical (lowercase, uncompressed) form, class, TTL, then the rest. */
function variables(record: TsigRecord): Buffer {
  const errorAndLength = Buffer.alloc(4);
  errorAndLength.writeUInt16BE(record.error, 0);
  errorAndLength.writeUInt16BE(record.otherData.length, 2);
  const classTtl = Buffer.alloc(6);
  classTtl.writeUInt16BE(CLASS_ANY, 0);
  return Buffer.concat([
    nameToWire(record.keyName),
    classTtl,
    nameToWire(record.algorithm),
    timers(record),
    errorAndLength,
    record.otherData,
  ]);
}

function timers(record: TsigRecord): Buffer {
  const out = Buffer.alloc(8);
  writeTime(out, 0, record.timeSigned);
  out.writeUInt16BE(record.fudge, 6);
  return out;
}

function appendRecord(message: Uint8Array, record: TsigRecord): Buffer {
  const owner = nameToWire(record.keyName);
  const algorithm = nameToWire(record.algorithm);
  const rdata = Buffer.alloc(algorithm.length + 16 + record.mac.length + record.otherData.length);
  let at = algorithm.copy(rdata, 0);
  writeTime(rdata, at, record.timeSigned);
  rdata.writeUInt16BE(record.fudge, at + 6);
  rdata.writeUInt16BE(record.mac.length, at + 8);
  at += 10;
  at += Buffer.from(record.mac).copy(rdata, at);
  rdata.writeUInt16BE(record.originalId, at);
  rdata.writeUInt16BE(record.error, at + 2);
  rdata.writeUInt16BE(record.otherData.length, at + 4);
  Buffer.from(record.otherData).copy(rdata, at + 6);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE_TSIG, 0);
  fixed.writeUInt16BE(CLASS_ANY, 2);
  fixed.writeUInt16BE(rdata.length, 8);
  const out = Buffer.concat([message, owner, fixed, rdata]);
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  return out;
}

function writeTime(out: Buffer, at: number, seconds: number): void {
  out.writeUInt16BE(Math.floor(seconds / 2 ** 32), at);
  out.writeUInt32BE(seconds % 2 ** 32, at + 2);
}

function withLength(value: Uint8Array): Buffer {
  const size = Buffer.alloc(2);
  size.writeUInt16BE(value.length);
  return Buffer.concat([size, value]);
}

/** A name as its lowercase labels without the trailing dot: how keys are looked up and compared. */
export function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export function nameToWire(name: string): Buffer {
  const labels = canonical(name) === '' ? [] : canonical(name).split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length < 1 || bytes.length > 63) throw new RangeError(`bad label in ${JSON.stringify(name)}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function need(bytes: Buffer, offset: number, length: number): void {
  if (offset + length > bytes.length) throw new TsigFormatError('message ends inside a record');
}

function skipName(bytes: Buffer, offset: number): number {
  for (let at = offset, steps = 0; steps < 128; steps++) {
    need(bytes, at, 1);
    const length = bytes[at] as number;
    if (length === 0) return at + 1;
    if ((length & 0xc0) === 0xc0) return at + 2;
    if (length > 63) throw new TsigFormatError('bad label');
    at += 1 + length;
  }
  throw new TsigFormatError('name too long');
}

function skipRecord(bytes: Buffer, offset: number): number {
  const at = skipName(bytes, offset);
  need(bytes, at, 10);
  const end = at + 10 + bytes.readUInt16BE(at + 8);
  need(bytes, end, 0);
  return end;
}

/** Reads a name, following compression pointers where `pointers` allows, lowercased. */
function readName(bytes: Buffer, offset: number, pointers = true): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  let end: number | undefined;
  for (let steps = 0; steps < 128; steps++) {
    need(bytes, at, 1);
    const length = bytes[at] as number;
    if (length === 0) return { name: labels.join('.').toLowerCase(), end: end ?? at + 1 };
    if ((length & 0xc0) === 0xc0) {
      if (!pointers) throw new TsigFormatError('a compressed name where none may be');
      need(bytes, at, 2);
      end ??= at + 2;
      at = bytes.readUInt16BE(at) & 0x3fff;
      continue;
    }
    if (length > 63) throw new TsigFormatError('bad label');
    need(bytes, at, 1 + length);
    labels.push(bytes.toString('latin1', at + 1, at + 1 + length));
    at += 1 + length;
  }
  throw new TsigFormatError('name too long or a pointer loop');
}
