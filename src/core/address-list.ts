/**
 * Lists of client addresses and networks (`127.0.0.1, 10.0.0.0/8, ::1`), as WOL_METRICS_ALLOW
 * names them, parsed and matched with ipaddr.js. An IPv4 client seen as an IPv4-mapped IPv6
 * address (`::ffff:10.1.2.3`, how a dual-stack socket reports it) matches IPv4 entries.
 */
import ipaddr from 'ipaddr.js';

export type AddressRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

export class AddressListError extends Error {
  override name = 'AddressListError';
}

/** Parses comma-separated addresses and CIDR networks; an empty text is an empty list. */
export function parseAddressList(text: string): AddressRange[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      try {
        if (entry.includes('/')) return ipaddr.parseCIDR(entry);
        const address = ipaddr.process(entry);
        return [address, address.kind() === 'ipv4' ? 32 : 128] as AddressRange;
      } catch {
        throw new AddressListError(`${JSON.stringify(entry)} is not an IP address or a CIDR network`);
      }
    })
    .map(([address, bits]) =>
      address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96
        ? ([(address as ipaddr.IPv6).toIPv4Address(), bits - 96] as AddressRange)
        : ([address, bits] as AddressRange),
    );
}

/** Whether `client` (as the runtime reports it; anything unparsable matches nothing) is in the list. */
export function addressAllowed(list: readonly AddressRange[], client: string): boolean {
  if (list.length === 0 || !ipaddr.isValid(client)) return false;
  const address = ipaddr.process(client);
  return list.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}
