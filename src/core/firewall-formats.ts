/**
 * The lines of the artifacts for products ISPs block with other than an RPZ-capable resolver:
 * firewalls (PAN-OS External Dynamic Lists, FortiGate threat feeds), proxies (Squid) and
 * filtering resolvers (dnsmasq, AdGuard Home and the adblock-syntax family). Pure, like every
 * renderer; formats.ts checks the keys first and turns the lines into bytes.
 *
 * Each gets domain keys only: none of these list types takes an address (PAN-OS and FortiGate
 * take them in separate IP list types, Squid in a `dst` ACL). Every rule covers the domain and
 * every name under it, so a key under another listed key adds nothing and is left out: Squid
 * warns at every start about such a pair ("You should remove … from the ACL"; older releases
 * refused the file), and the firewalls count every line against a per-device entry limit.
 *
 * Lengths: a key is at most 253 characters (a DNS name), so `*.key` is at most 255, the most
 * PAN-OS takes per domain entry; the other products take longer lines.
 */

/** The keys not under another key of the list (`a.b.example` goes when `b.example` is there). */
export function outermost(keys: readonly string[]): string[] {
  const all = new Set(keys);
  return keys.filter((key) => {
    for (let dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1))
      if (all.has(key.slice(dot + 1))) return false;
    return true;
  });
}

/**
 * PAN-OS domain list and FortiGate domain threat feed: the exact name and a wildcard for every
 * name under it (neither product's `*.key` matches `key` itself). Neither documents comments
 * for these lists, so there are none: an empty list is an empty file.
 */
export const exactAndWildcard = (keys: readonly string[]): string[] =>
  outermost(keys).flatMap((key) => [key, `*.${key}`]);

/** Squid `dstdomain` file: a leading dot matches the domain and every subdomain. */
export const squidLines = (keys: readonly string[], header: string): string[] => [
  `# ${header}: a dstdomain list for squid (acl NAME dstdomain "/path/to/this/file")`,
  ...outermost(keys).map((key) => `.${key}`),
];

/** dnsmasq: `local=/key/` answers NXDOMAIN for the domain and every name under it (no upstream is asked). */
export const dnsmasqLines = (keys: readonly string[], header: string): string[] => [
  `# ${header}: dnsmasq configuration (conf-file=/path/to/this/file)`,
  ...outermost(keys).map((key) => `local=/${key}/`),
];

/** Adblock syntax: `||key^` blocks the domain and every subdomain; `!` starts a comment. */
export const adblockLines = (keys: readonly string[], header: string): string[] => [
  `! ${header}`,
  ...outermost(keys).map((key) => `||${key}^`),
];
