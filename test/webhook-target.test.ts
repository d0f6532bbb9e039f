/**
 * The webhook target classifier: each non-public address class in each spelling a URL or a
 * resolver may give it, judged as the address it reaches; public ones pass; WOL_WEBHOOK_ALLOW
 * opens a network but never the cloud metadata service.
 */
import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../src/core/address-list.ts';
import { literalAddress, nonPublicRange, webhookTargetAllowed } from '../src/core/webhook-target.ts';

/** [how the URL spells the host, the class it is refused as (null: public)]. */
const HOSTS: [string, string | null][] = [
  ['127.0.0.1', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['2130706433', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['[::1]', 'loopback'],
  ['[::ffff:127.0.0.1]', 'loopback'],
  ['[::ffff:7f00:1]', 'loopback'],
  ['[64:ff9b::127.0.0.1]', 'loopback'],
  ['[::127.0.0.1]', 'ipv4Compatible'],
  ['10.1.2.3', 'private'],
  ['0xa010203', 'private'],
  ['172.16.0.1', 'private'],
  ['192.168.1.1', 'private'],
  ['[::ffff:192.168.1.1]', 'private'],
  ['169.254.1.1', 'linkLocal'],
  ['[fe80::1]', 'linkLocal'],
  ['169.254.169.254', 'metadata'],
  ['2852039166', 'metadata'],
  ['[::ffff:169.254.169.254]', 'metadata'],
  ['[fd00:ec2::254]', 'metadata'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.254', 'carrierGradeNat'],
  ['[fc00::1]', 'uniqueLocal'],
  ['[fd12:3456::1]', 'uniqueLocal'],
  ['224.0.0.1', 'multicast'],
  ['[ff02::1]', 'multicast'],
  ['0.0.0.0', 'unspecified'],
  ['0', 'unspecified'],
  ['[::]', 'unspecified'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.2.1', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['[2001:db8::1]', 'reserved'],
  ['[2002:7f00:1::]', '6to4'],
  ['93.184.215.14', null],
  ['8.8.8.8', null],
  ['[::ffff:8.8.8.8]', null],
  ['[64:ff9b::8.8.8.8]', null],
  ['[2606:4700:4700::1111]', null],
];

describe('nonPublicRange', () => {
  it.each(HOSTS)('http://%s/ is %s', (host, range) => {
    const literal = literalAddress(new URL(`http://${host}:8080/hook`));
    expect(literal).not.toBeNull();
    expect(nonPublicRange(literal!)).toBe(range);
  });

  it('reads resolver answers and raw spellings alike, and refuses what is no address', () => {
    expect(nonPublicRange('::ffff:127.0.0.1')).toBe('loopback');
    expect(nonPublicRange('0x7f000001')).toBe('loopback');
    expect(nonPublicRange('localhost')).toBe('invalid');
    expect(nonPublicRange('')).toBe('invalid');
  });
});

describe('literalAddress', () => {
  it('is null for a name, whatever it resolves to', () => {
    for (const host of ['localhost', 'ncb.example', 'metadata.google.internal', '127.0.0.1.nip.io'])
      expect(literalAddress(new URL(`https://${host}/`))).toBeNull();
  });
});

describe('webhookTargetAllowed', () => {
  const none = parseAddressList('');
  const allow = parseAddressList('127.0.0.0/8, ::1, 10.0.0.0/8, 169.254.0.0/16, fd00::/8');

  it('lets public addresses through and refuses the rest by default', () => {
    for (const [host, range] of HOSTS)
      expect(webhookTargetAllowed(literalAddress(new URL(`http://${host}/`))!, none), host).toBe(range === null);
  });

  it('lets through what WOL_WEBHOOK_ALLOW names, in any spelling, but never the metadata service', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '64:ff9b::7f00:1', '10.9.8.7', '169.254.1.1'])
      expect(webhookTargetAllowed(address, allow), address).toBe(true);
    for (const address of ['169.254.169.254', '::ffff:169.254.169.254', 'fd00:ec2::254', '192.168.1.1', 'x'])
      expect(webhookTargetAllowed(address, allow), address).toBe(false);
  });
});
