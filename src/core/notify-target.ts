/**
 * A secondary to NOTIFY: an IP literal and a port, `192.0.2.10:53` or `[2001:db8::10]:53`.
 * Names are refused: a NOTIFY goes where the ISP said, not where a resolver points today.
 */
import ipaddr from 'ipaddr.js';

export interface NotifyTarget {
  address: string;
  port: number;
  family: 4 | 6;
}

export function parseNotifyTarget(text: string): NotifyTarget | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(text);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  const v6 = match[1];
  if (v6 !== undefined) {
    if (!ipaddr.IPv6.isValid(v6)) return null;
    const parsed = ipaddr.IPv6.parse(v6);
    if (['unspecified', 'multicast'].includes(parsed.range())) return null;
    return { address: parsed.toString(), port, family: 6 };
  }
  const v4 = match[2] as string;
  if (!ipaddr.IPv4.isValidFourPartDecimal(v4)) return null;
  if (['unspecified', 'multicast', 'broadcast'].includes(ipaddr.IPv4.parse(v4).range())) return null;
  return { address: v4, port, family: 4 };
}
