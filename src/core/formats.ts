/**
 * Artifact renderers (DESIGN section 8): entries in, exact bytes out. Pure and
 * deterministic: entries arrive sorted bytewise, nothing reads a clock, so the same
 * snapshot always renders the same bytes, and the manifest's digests stay true.
 * IP keys appear only in txt, json, csv and sha256; DNS formats list domains only.
 * Lines end in LF everywhere (csv included): one convention for every consumer's diff.
 */
import { createHash } from 'node:crypto';

export const formats = ['txt', 'json', 'csv', 'hosts', 'rpz', 'unbound', 'sha256'] as const;
export type Format = (typeof formats)[number];

export const contentTypes: Record<Format, string> = {
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  hosts: 'text/plain; charset=utf-8',
  rpz: 'text/dns',
  unbound: 'text/plain; charset=utf-8',
  sha256: 'text/plain; charset=utf-8',
};

export interface Entry {
  /** A registrable domain, a full hostname (hostname policy), or an IPv4/IPv6 address. */
  key: string;
  /** The version this key has been listed since. */
  since: number;
}

export interface RenderContext {
  list: 'worst-of';
  version: number;
  createdAt: Date;
  /** RPZ: answer with a CNAME to this STOP page host instead of NXDOMAIN. */
  blockPageHost?: string | undefined;
}

export const isIpKey = (key: string): boolean => key.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(key);
const kindOf = (key: string) => (key.includes(':') ? 'ipv6' : isIpKey(key) ? 'ipv4' : 'domain');

const lines = (rows: readonly string[]) => rows.map((row) => `${row}\n`).join('');
const domainsOf = (entries: readonly Entry[]) => entries.filter((e) => !isIpKey(e.key)).map((e) => e.key);

/** RPZ timers: refresh hourly, retry every 10 minutes, expire after a week, negative TTL 5 minutes. */
const RPZ_TTL = 300;

const renderers: Record<Format, (entries: readonly Entry[], context: RenderContext) => string> = {
  txt: (entries) => lines(entries.map((e) => e.key)),
  json: (entries, context) =>
    `${JSON.stringify({
      list: context.list,
      version: context.version,
      createdAt: context.createdAt.toISOString(),
      count: entries.length,
      entries: entries.map((e) => ({ key: e.key, kind: kindOf(e.key), since: e.since })),
    })}\n`,
  csv: (entries) =>
    lines(['list_key,kind,listed_since_version', ...entries.map((e) => `${e.key},${kindOf(e.key)},${e.since}`)]),
  hosts: (entries, context) =>
    lines([`# ${context.list} version ${context.version}`, ...domainsOf(entries).map((domain) => `0.0.0.0 ${domain}`)]),
  rpz: (entries, context) => {
    // Owner names are relative to the zone's origin, so the zone works under whatever name the resolver gives it.
    const target = context.blockPageHost ? `${context.blockPageHost}.` : '.';
    const records = domainsOf(entries).flatMap((domain) => [
      `${domain} CNAME ${target}`,
      `*.${domain} CNAME ${target}`,
    ]);
    return lines([
      `; ${context.list} version ${context.version}, response policy zone`,
      `$TTL ${RPZ_TTL}`,
      `@ SOA localhost. hostmaster.localhost. ${context.version} 3600 600 604800 ${RPZ_TTL}`,
      '@ NS localhost.',
      ...records,
    ]);
  },
  unbound: (entries, context) =>
    lines([
      `# ${context.list} version ${context.version}: include inside unbound's server: clause`,
      ...domainsOf(entries).map((domain) => `local-zone: "${domain}." always_nxdomain`),
    ]),
  sha256: (entries) => lines(entries.map((e) => createHash('sha256').update(e.key).digest('hex')).sort()),
};

export function renderArtifact(format: Format, entries: readonly Entry[], context: RenderContext): Uint8Array {
  return new TextEncoder().encode(renderers[format](entries, context));
}
