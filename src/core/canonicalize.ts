/**
 * URL canonicalisation and list keys (DESIGN section 4). Pure: no I/O.
 *
 * The host rules follow Safe Browsing / Web Risk canonicalisation: strip control
 * characters, repeatedly percent-decode the host, fold dot runs, let the WHATWG URL
 * parser do IDN-to-punycode and the numeric, hex and octal IPv4 forms. The list key is
 * the registrable domain (private suffixes honoured) unless a hostname policy says to
 * list the full host, or the address itself for IP hosts. An address host must be public
 * unicast: loopback, unspecified, private, link-local, CGNAT, multicast, broadcast and
 * reserved (documentation) space is on every network or none, so listing it would have ISPs
 * block their own customers' routers and services, never an attacker's.
 */
import { getDomain } from 'tldts';
import type { Granularity } from './vocabulary.ts';
import { nonPublicRange } from './webhook-target.ts';

export type HostKind = 'domain' | 'ipv4' | 'ipv6';

export interface Canonical {
  /** The canonical URL: scheme, host and path, without credentials, port or fragment. */
  url: string;
  host: string;
  /** The registrable domain, or the address for IP hosts: what a hostname policy is keyed on. */
  domain: string;
  listKey: string;
  kind: HostKind;
}

export const canonicalizeErrorCodes = [
  'empty_input',
  'unsupported_scheme',
  'empty_host',
  'invalid_host',
  'label_too_long',
  'name_too_long',
  'public_suffix',
  'non_public_address',
  'url_too_long',
] as const;
export type CanonicalizeErrorCode = (typeof canonicalizeErrorCodes)[number];

export class CanonicalizeError extends Error {
  override name = 'CanonicalizeError';
  constructor(
    readonly code: CanonicalizeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Policies by registrable domain; absent means `registrable`. */
export type PolicyLookup = (domain: string) => Granularity | undefined;

export const MAX_URL_LENGTH = 8192;
const MAX_DECODE_ROUNDS = 16;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const tldtsOptions = { allowPrivateDomains: true, extractHostname: false } as const;

export function canonicalize(input: string, policies?: PolicyLookup): Canonical | CanonicalizeError {
  const text = input.replace(/[\t\r\n]/g, '').trim();
  if (text === '') return new CanonicalizeError('empty_input', 'the URL is empty');
  if (text.length > MAX_URL_LENGTH)
    return new CanonicalizeError('url_too_long', `the URL is longer than ${MAX_URL_LENGTH} characters`);

  const withScheme = addScheme(text);
  const scheme = SCHEME.exec(withScheme)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https')
    return new CanonicalizeError('unsupported_scheme', `only http and https URLs are accepted, not ${scheme}:`);

  const { authority, rest } = splitAuthority(withScheme.slice(scheme.length + 1).replace(/^[/\\]*/, ''));
  const rawHost = foldDots(decodeHost(hostOf(authority)));
  if (rawHost === '') return new CanonicalizeError('empty_host', 'the URL has no host');

  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${rawHost}${rest.startsWith('/') ? '' : '/'}${rest}`);
  } catch {
    return new CanonicalizeError(
      'invalid_host',
      `the host ${JSON.stringify(rawHost)} is not a valid host name or address`,
    );
  }
  parsed.hash = '';

  if (parsed.hostname.startsWith('[')) {
    const address = parsed.hostname.slice(1, -1);
    return nonPublic(address) ?? { url: parsed.href, host: address, domain: address, listKey: address, kind: 'ipv6' };
  }
  const host = foldDots(parsed.hostname);
  if (host === '') return new CanonicalizeError('empty_host', 'the URL has no host');
  parsed.hostname = host;
  if (IPV4.test(host)) return nonPublic(host) ?? { url: parsed.href, host, domain: host, listKey: host, kind: 'ipv4' };

  const invalid = checkDnsName(host);
  if (invalid) return invalid;
  const domain = getDomain(host, tldtsOptions);
  if (!domain) return new CanonicalizeError('public_suffix', `${host} is a public suffix, not a registrable domain`);
  const listKey = policies?.(domain) === 'hostname' ? host : domain;
  return { url: parsed.href, host, domain, listKey, kind: 'domain' };
}

/** Adds http:// when there is no scheme; `host:port` is not mistaken for one. */
function addScheme(text: string): string {
  if (text.startsWith('//')) return `http:${text}`;
  const match = SCHEME.exec(text);
  if (!match) return `http://${text}`;
  const isHostAndPort = /^\d+(?:[/?#\\]|$)/.test(text.slice(match[0].length));
  return isHostAndPort ? `http://${text}` : text;
}

/** The authority ends at the first slash, backslash, question mark or hash (WHATWG, special schemes). */
function splitAuthority(afterScheme: string): { authority: string; rest: string } {
  const end = afterScheme.search(/[/\\?#]/);
  return end === -1
    ? { authority: afterScheme, rest: '' }
    : { authority: afterScheme.slice(0, end), rest: afterScheme.slice(end) };
}

/** Drops credentials and port: the host is what stands after the last @ and before the port. */
function hostOf(authority: string): string {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    return close === -1 ? hostPort : hostPort.slice(0, close + 1);
  }
  const colon = hostPort.lastIndexOf(':');
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}

/** Percent-decodes until nothing changes (Safe Browsing: "repeatedly percent-unescape"). */
function decodeHost(host: string): string {
  let current = host;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      next = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
    if (next === current) break;
    current = next;
  }
  return current.trim();
}

/** The refusal of an address that is not public unicast, naming its range; null for a public one. */
function nonPublic(address: string): CanonicalizeError | null {
  const range = nonPublicRange(address);
  return range === null
    ? null
    : new CanonicalizeError('non_public_address', `${address} is not a public address (${range})`);
}

function foldDots(host: string): string {
  return host.replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '');
}

function checkDnsName(host: string): CanonicalizeError | null {
  if (host.length > 253) return new CanonicalizeError('name_too_long', 'the host name is longer than 253 octets');
  const labels = host.split('.');
  for (const label of labels) {
    if (label.length > 63)
      return new CanonicalizeError('label_too_long', `the label ${label.slice(0, 20)}… is longer than 63 octets`);
    if (!LABEL.test(label))
      return new CanonicalizeError('invalid_host', `${host} is not a valid DNS name (label ${JSON.stringify(label)})`);
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? ''))
    return new CanonicalizeError('invalid_host', `${host} is neither a DNS name nor an IPv4 address`);
  return null;
}
