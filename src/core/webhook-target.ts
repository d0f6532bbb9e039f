/**
 * Which addresses a webhook may be sent to: public unicast ones, and those the operator's
 * WOL_WEBHOOK_ALLOW names. Everything else (loopback, private, link-local, CGNAT, unique-local,
 * multicast, unspecified, broadcast, reserved) would let a key holder use the service to probe
 * the networks it runs in, so it is refused, in every spelling: the caller passes what the URL
 * parser or the resolver made of the host, and IPv4 reached through IPv6 (mapped `::ffff:a.b.c.d`,
 * NAT64 `64:ff9b::a.b.c.d`) is judged as the IPv4 address it reaches.
 */
import ipaddr from 'ipaddr.js';
import { type AddressRange, addressAllowed } from './address-list.ts';

/** Cloud metadata services (AWS, GCP, Azure and others share these): never a target, whatever the allow list says. */
const METADATA = ['169.254.169.254', 'fd00:ec2::254'];

/** The address a connection to `address` really reaches: IPv4 behind an IPv4-mapped or NAT64 IPv6 address. */
function reached(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  if (v6.match(ipaddr.IPv6.parse('64:ff9b::'), 96)) return ipaddr.fromByteArray(v6.toByteArray().slice(12));
  return v6;
}

/**
 * Why `address` is not public: ipaddr.js's name for its range ('loopback', 'private',
 * 'linkLocal', 'carrierGradeNat', …), 'metadata', 'ipv4Compatible' (the deprecated `::a.b.c.d`),
 * or 'invalid' for what is no IP address; null for a public unicast address.
 */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  const target = reached(ipaddr.parse(address));
  if (METADATA.some((m) => ipaddr.parse(m).toNormalizedString() === target.toNormalizedString())) return 'metadata';
  const range = target.range();
  if (range !== 'unicast') return range;
  if (target.kind() === 'ipv6' && target.match(ipaddr.IPv6.parse('::'), 96)) return 'ipv4Compatible';
  return null;
}

/** Whether a webhook may be sent to `address`: a public one, or one in `allow` (never a metadata service). */
export function webhookTargetAllowed(address: string, allow: readonly AddressRange[]): boolean {
  const range = nonPublicRange(address);
  if (range === null) return true;
  if (range === 'metadata' || range === 'invalid') return false;
  return addressAllowed(allow, reached(ipaddr.parse(address)).toString());
}

/**
 * The IP address a URL's host is, brackets removed, or null when the host is a name. The URL
 * parser has already turned `0x7f000001`, `2130706433` or `0177.1` into `127.0.0.1`.
 */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(host) ? host : null;
}
