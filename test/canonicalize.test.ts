import { describe, expect, it } from 'vitest';
import { CanonicalizeError, canonicalize } from '../src/core/canonicalize.ts';

type Case = [input: string, url: string, host: string, listKey: string, kind?: string];

// Literal before/after cases: the Safe Browsing host rules plus the list-key rules.
const accepted: Case[] = [
  ['http://a.b.zzsmoke-one.com/x', 'http://a.b.zzsmoke-one.com/x', 'a.b.zzsmoke-one.com', 'zzsmoke-one.com'],
  ['img.zzsmoke.net/b', 'http://img.zzsmoke.net/b', 'img.zzsmoke.net', 'zzsmoke.net'],
  ['  \thttp://www.zz-example.com/\r\n', 'http://www.zz-example.com/', 'www.zz-example.com', 'zz-example.com'],
  [
    'http://user:secret@ZZ-Example.COM:8080/a/../b?q=1#frag',
    'http://zz-example.com/b?q=1',
    'zz-example.com',
    'zz-example.com',
  ],
  ['HTTPS://Sub.ZZ-Example.Com', 'https://sub.zz-example.com/', 'sub.zz-example.com', 'zz-example.com'],
  ['zz-example.com:8080/x', 'http://zz-example.com/x', 'zz-example.com', 'zz-example.com'],
  ['//zz-example.com/p', 'http://zz-example.com/p', 'zz-example.com', 'zz-example.com'],
  ['http://www.zz-exam\tple.com/', 'http://www.zz-example.com/', 'www.zz-example.com', 'zz-example.com'],
  // Repeated percent-decoding of the host: %25 is "%", so %2577 decodes twice to "w".
  ['http://%2577%2577%2577.zz-example.com/', 'http://www.zz-example.com/', 'www.zz-example.com', 'zz-example.com'],
  ['http://zz-exa%6Dple.com/', 'http://zz-example.com/', 'zz-example.com', 'zz-example.com'],
  // Dots: leading, trailing and runs.
  ['http://..a...b.zz-example.com../', 'http://a.b.zz-example.com/', 'a.b.zz-example.com', 'zz-example.com'],
  ['http://zz-example.com./', 'http://zz-example.com/', 'zz-example.com', 'zz-example.com'],
  // IPv4 in its numeric, hex, octal and short forms.
  ['http://3279880203/', 'http://195.127.0.11/', '195.127.0.11', '195.127.0.11', 'ipv4'],
  ['http://0xc3.0x7f.0.0xb/', 'http://195.127.0.11/', '195.127.0.11', '195.127.0.11', 'ipv4'],
  ['http://0303.0177.0.013/', 'http://195.127.0.11/', '195.127.0.11', '195.127.0.11', 'ipv4'],
  ['http://0xc37f000b/', 'http://195.127.0.11/', '195.127.0.11', '195.127.0.11', 'ipv4'],
  ['http://%31%39%35.127.0.11/', 'http://195.127.0.11/', '195.127.0.11', '195.127.0.11', 'ipv4'],
  ['http://[2A0B:0::1]:80/x', 'http://[2a0b::1]/x', '2a0b::1', '2a0b::1', 'ipv6'],
  // IDN and full-width characters.
  ['http://例え.jp/', 'http://xn--r8jz45g.jp/', 'xn--r8jz45g.jp', 'xn--r8jz45g.jp'],
  ['ＺＺ-ＥＸＡＭＰＬＥ．com', 'http://zz-example.com/', 'zz-example.com', 'zz-example.com'],
  ['http://zz-example。com/', 'http://zz-example.com/', 'zz-example.com', 'zz-example.com'],
  // Private suffixes are honoured: a shared-hosting subdomain keys as itself.
  ['http://a.b.blogspot.com/', 'http://a.b.blogspot.com/', 'a.b.blogspot.com', 'b.blogspot.com'],
  ['http://zz-user.github.io/x', 'http://zz-user.github.io/x', 'zz-user.github.io', 'zz-user.github.io'],
  ['http://www.zz-example.co.uk/', 'http://www.zz-example.co.uk/', 'www.zz-example.co.uk', 'zz-example.co.uk'],
];

const rejected: [input: string, code: string][] = [
  ['', 'empty_input'],
  ['   \t\r\n', 'empty_input'],
  ['javascript:alert(1)', 'unsupported_scheme'],
  ['ftp://zz-example.com/', 'unsupported_scheme'],
  ['mailto:abuse@zz-example.com', 'unsupported_scheme'],
  ['data:text/html,hello', 'unsupported_scheme'],
  ['http://', 'empty_host'],
  ['http://user@:80/', 'empty_host'],
  ['http://.../', 'empty_host'],
  ['http://co.uk/', 'public_suffix'],
  ['http://blogspot.com/', 'public_suffix'],
  ['http://com/', 'public_suffix'],
  ['http://localhost/', 'public_suffix'],
  [`http://${'a'.repeat(64)}.zz-example.com/`, 'label_too_long'],
  [`http://${'abcdefghi.'.repeat(26)}com/`, 'name_too_long'],
  ['http://zz exa mple.com/', 'invalid_host'],
  ['http://1.2.3.4.5/', 'invalid_host'],
  ['http://1.2.3.256/', 'invalid_host'],
  ['http://-zz.example.com/', 'invalid_host'],
  ['http://zz%00.example.com/', 'invalid_host'],
  ['http://zz<script>.com/', 'invalid_host'],
  ['http://xn--zz.com/', 'invalid_host'],
  [`http://zz-example.com/${'x'.repeat(9000)}`, 'url_too_long'],
];

// Address hosts that are not public unicast, in any spelling, and the range the refusal names.
const nonPublic: [input: string, range: string][] = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://0x7f.1/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://%31%32%37.0.0.1/', 'loopback'],
  ['http://127.1.2.3:8080/x', 'loopback'],
  ['http://[::1]/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ['http://[64:ff9b::127.0.0.1]/', 'loopback'],
  ['http://0.0.0.0/', 'unspecified'],
  ['http://0/', 'unspecified'],
  ['http://[::]/', 'unspecified'],
  ['http://10.1.2.3/', 'private'],
  ['http://172.16.0.1/', 'private'],
  ['http://0300.0250.0.1/', 'private'],
  ['http://[fd00::1]/', 'uniqueLocal'],
  ['http://169.254.1.1/', 'linkLocal'],
  ['http://169.254.169.254/latest/', 'metadata'],
  ['http://[fe80::1]/', 'linkLocal'],
  ['http://100.64.0.1/', 'carrierGradeNat'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://[ff02::1]/', 'multicast'],
  ['http://255.255.255.255/', 'broadcast'],
  ['http://198.51.100.7/', 'reserved'],
  ['http://[2001:db8::1]/', 'reserved'],
  ['http://[::127.0.0.1]/', 'ipv4Compatible'],
];

describe('canonicalize', () => {
  it.each(accepted)('%s', (input, url, host, listKey, kind = 'domain') => {
    const result = canonicalize(input);
    expect(result).not.toBeInstanceOf(CanonicalizeError);
    expect(result).toMatchObject({ url, host, listKey, kind });
  });

  it.each(rejected)('rejects %j as %s', (input, code) => {
    const result = canonicalize(input);
    expect(result).toBeInstanceOf(CanonicalizeError);
    expect((result as CanonicalizeError).code).toBe(code);
  });

  it.each(nonPublic)('rejects %j as non_public_address (%s)', (input, range) => {
    const result = canonicalize(input);
    expect(result).toBeInstanceOf(CanonicalizeError);
    expect(result).toMatchObject({ code: 'non_public_address', message: expect.stringContaining(`(${range})`) });
  });

  it('lists the full host when a hostname policy covers the registrable domain', () => {
    const policies = (domain: string) => (domain === 'zz-shared-host.com' ? ('hostname' as const) : undefined);
    expect(canonicalize('http://alice.zz-shared-host.com/a', policies)).toMatchObject({
      host: 'alice.zz-shared-host.com',
      domain: 'zz-shared-host.com',
      listKey: 'alice.zz-shared-host.com',
    });
    expect(canonicalize('http://bob.zz-other.com/', policies)).toMatchObject({ listKey: 'zz-other.com' });
  });

  it('is idempotent on its own output', () => {
    for (const [input] of accepted) {
      const first = canonicalize(input);
      if (first instanceof CanonicalizeError) throw first;
      expect(canonicalize(first.url)).toEqual(first);
    }
  });
});
