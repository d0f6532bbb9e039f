/**
 * Artifact renderers (DESIGN section 8). Pure: no I/O, no clock, no randomness; the
 * same entries and context always give the same bytes, because the manifest signs
 * their sha256.
 *
 * Invariants every renderer relies on, checked by `renderArtifact` before rendering:
 * entries are sorted bytewise by key with no duplicates, and every key is a canonical
 * list key (a lowercase ASCII domain, a dotted-quad IPv4 or a compressed lowercase
 * IPv6 address). A key outside that alphabet could inject lines into a zone or a
 * configuration file, so a bad key fails the whole render instead of being escaped.
 */
import { createHash } from 'node:crypto';
import type { HostKind } from './canonicalize.ts';
import { adblockLines, dnsmasqLines, exactAndWildcard, squidLines } from './firewall-formats.ts';

/** New formats go at the end: the manifest lists artifacts in this order. */
export const formats = [
  'txt',
  'json',
  'csv',
  'hosts',
  'rpz',
  'unbound',
  'sha256',
  'edl',
  'fortigate',
  'squid',
  'dnsmasq',
  'adblock',
] as const;
export type Format = (typeof formats)[number];

/** The HTTP media type each artifact is served as. */
export const mediaTypes: Record<Format, string> = {
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  hosts: 'text/plain; charset=utf-8',
  // RFC 4027: a DNS master file.
  rpz: 'text/dns',
  unbound: 'text/plain; charset=utf-8',
  sha256: 'text/plain; charset=utf-8',
  edl: 'text/plain; charset=utf-8',
  fortigate: 'text/plain; charset=utf-8',
  squid: 'text/plain; charset=utf-8',
  dnsmasq: 'text/plain; charset=utf-8',
  adblock: 'text/plain; charset=utf-8',
};

/** A listed key and the snapshot version it has been listed since. */
export interface Entry {
  key: string;
  since: number;
  /** On a national instance's list only: from the upstream version or a national addition. */
  source?: EntrySource;
}

export const entrySources = ['upstream', 'national'] as const;
export type EntrySource = (typeof entrySources)[number];

export interface RenderContext {
  list: 'worst-of';
  version: number;
  createdAt: Date;
  /** When set, the RPZ answers listed names with a CNAME to this host instead of NXDOMAIN. */
  blockPageHost?: string | undefined;
}

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
/**
 * At least two labels (a single label would be a TLD: `*.com CNAME .` blocks all of it),
 * and a last label that is not a number (the URL standard reads such a host as IPv4).
 */
const DOMAIN = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+(?!\\d+$)${LABEL}$`);
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const MAX_SERIAL = 0xffff_ffff;
/**
 * An owner name `*.<key>.<zone>.` must fit in 255 octets, i.e. key length + zone name
 * length <= 250, or BIND refuses the whole zone ("ran out of space"). The zone name is
 * the resolver's choice; capping keys at 200 characters leaves it 50.
 */
const MAX_RPZ_KEY_LENGTH = 200;

/** True for a canonical IPv4 (no leading zeros) or lowercase compressed IPv6 list key. */
export function isIpKey(key: string): boolean {
  return keyKind(key) !== 'domain';
}

function keyKind(key: string): HostKind {
  if (IPV4.test(key)) return 'ipv4';
  if (isIpv6(key)) return 'ipv6';
  return 'domain';
}

function isIpv6(key: string): boolean {
  if (!/^[0-9a-f:]{2,39}$/.test(key)) return false;
  const halves = key.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (groups.some((group) => group.length < 1 || group.length > 4)) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** entries are already sorted bytewise by key; the output must be byte-for-byte deterministic (no clock reads) */
export function renderArtifact(format: Format, entries: readonly Entry[], context: RenderContext): Uint8Array {
  return new TextEncoder().encode(renderers[format](prepare(entries, context), context));
}

/**
 * Every format of one version. The checks and each key's kind are made once for all of them,
 * not once per format (twelve formats: they were most of the rendering at 70k entries).
 */
export function renderEveryArtifact(entries: readonly Entry[], context: RenderContext): Record<Format, Uint8Array> {
  const list = prepare(entries, context);
  const encoder = new TextEncoder();
  return Object.fromEntries(formats.map((f) => [f, encoder.encode(renderers[f](list, context))])) as Record<
    Format,
    Uint8Array
  >;
}

/** Checked entries with each key's kind, and the domains among them (what most formats take). */
interface Prepared {
  entries: readonly Entry[];
  kinds: readonly HostKind[];
  domains: readonly string[];
}

function prepare(entries: readonly Entry[], context: RenderContext): Prepared {
  checkInput(entries, context);
  const kinds = entries.map((entry) => keyKind(entry.key));
  return { entries, kinds, domains: entries.filter((_, i) => kinds[i] === 'domain').map((entry) => entry.key) };
}

type Renderer = (list: Prepared, context: RenderContext) => string;

const renderers: Record<Format, Renderer> = {
  txt: ({ entries }) => lines(entries.map((entry) => entry.key)),

  json: ({ entries, kinds }, context) =>
    `${JSON.stringify({
      list: context.list,
      version: context.version,
      createdAt: context.createdAt.toISOString(),
      count: entries.length,
      entries: entries.map((entry, i) => ({
        key: entry.key,
        kind: kinds[i],
        since: entry.since,
        ...(entry.source ? { source: entry.source } : {}),
      })),
    })}\n`,

  // LF line endings, not RFC 4180's CRLF: every other artifact is LF and the consumers
  // are Unix tools. Keys, kinds and numbers never contain a comma, quote or line break
  // (checkInput guarantees it), so no field ever needs RFC 4180 quoting.
  csv: ({ entries, kinds }) =>
    lines(['list_key,kind,listed_since_version', ...entries.map((e, i) => `${e.key},${kinds[i]},${e.since}`)]),

  // A hosts file matches exact names only: subdomains of a listed domain are not covered.
  hosts: ({ domains }, context) =>
    lines([`# ${context.list} version ${context.version}`, ...domains.map((key) => `0.0.0.0 ${key}`)]),

  rpz: ({ domains }, context) => renderRpz(domains, context),

  // Included inside unbound's `server:` clause; a local zone covers every name below it.
  unbound: ({ domains }, context) =>
    lines([
      `# ${context.list} version ${context.version}: include inside unbound's server: clause`,
      ...domains.map((key) => `local-zone: "${key}." always_nxdomain`),
    ]),

  // Sorted by hash, not by key, so the order says nothing about the keys.
  sha256: ({ entries }) => lines(entries.map((entry) => createHash('sha256').update(entry.key).digest('hex')).sort()),

  // Firewalls, proxies and filtering resolvers (firewall-formats.ts): domains only.
  edl: ({ domains }) => lines(exactAndWildcard(domains)),
  fortigate: ({ domains }) => lines(exactAndWildcard(domains)),
  squid: ({ domains }, context) => lines(squidLines(domains, header(context))),
  dnsmasq: ({ domains }, context) => lines(dnsmasqLines(domains, header(context))),
  adblock: ({ domains }, context) => lines(adblockLines(domains, header(context))),
};

const header = (context: RenderContext) => `${context.list} version ${context.version}`;

/**
 * Owner names are relative to the zone origin (no `$ORIGIN`), so the zone works under
 * whatever name the resolver loads it as. `CNAME .` is the RPZ NXDOMAIN action; a CNAME
 * to another name is a local-data rewrite to the block page.
 */
function renderRpz(domains: readonly string[], context: RenderContext): string {
  const target = context.blockPageHost === undefined ? '.' : `${context.blockPageHost}.`;
  const records: string[] = [];
  for (const key of domains) {
    const omitted = rpzOmission(key);
    if (omitted) {
      records.push(`; omitted ${key}: ${omitted}`);
      continue;
    }
    records.push(`${key} CNAME ${target}`, `*.${key} CNAME ${target}`);
  }
  // Serial = version; refresh 1h, retry 10min, expire 1 week, negative TTL 5min.
  return lines([
    `; ${context.list} version ${context.version}, response policy zone`,
    '$TTL 300',
    `@ SOA localhost. hostmaster.localhost. ${context.version} 3600 600 604800 300`,
    '@ NS localhost.',
    ...records,
  ]);
}

function rpzOmission(key: string): string | undefined {
  if (key.length > MAX_RPZ_KEY_LENGTH) return `longer than ${MAX_RPZ_KEY_LENGTH} characters`;
  // A last label `rpz-ip`, `rpz-nsdname`, `rpz-nsip` or `rpz-client-ip` would turn the
  // owner into a trigger of another kind: `*.com.rpz-nsdname` blocks every name served
  // from a `.com` name server. No real TLD starts with `rpz-`.
  if (/(?:^|\.)rpz-[^.]*$/.test(key)) return 'its last label is reserved for RPZ triggers';
  return undefined;
}

/** Each line LF-terminated, so no lines is an empty string. */
function lines(items: readonly string[]): string {
  return items.map((item) => `${item}\n`).join('');
}

function checkInput(entries: readonly Entry[], context: RenderContext): void {
  if (!Number.isSafeInteger(context.version) || context.version < 0 || context.version > MAX_SERIAL)
    throw new RangeError(`version ${context.version} is not an integer in [0, ${MAX_SERIAL}] (the RPZ serial)`);
  if (Number.isNaN(context.createdAt.getTime())) throw new RangeError('createdAt is an invalid date');
  if (context.blockPageHost !== undefined && !DOMAIN.test(context.blockPageHost))
    throw new RangeError(`block page host ${JSON.stringify(context.blockPageHost)} is not a lowercase domain`);
  let previous: string | undefined;
  for (const { key, since } of entries) {
    if (!DOMAIN.test(key) && !isIpKey(key)) throw new RangeError(`${JSON.stringify(key)} is not a canonical list key`);
    // Keys are ASCII here, so UTF-16 order is byte order.
    if (previous !== undefined && !(previous < key))
      throw new RangeError(`entries are not sorted bytewise without duplicates at ${JSON.stringify(key)}`);
    if (!Number.isSafeInteger(since) || since < 0)
      throw new RangeError(`since ${since} of ${JSON.stringify(key)} is not a non-negative integer`);
    previous = key;
  }
}
