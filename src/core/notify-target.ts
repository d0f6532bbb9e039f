/**
 * A secondary to NOTIFY: an IP literal and a port, `192.0.2.10:53` or `[2001:db8::10]:53`.
 * Names are refused: a NOTIFY goes where the ISP said, not where a resolver points today.
 *
 * Which addresses may be sent to is the webhooks' rule (core/webhook-target.ts) with its own
 * allow list, WOL_NOTIFY_ALLOW. ISPs' secondaries often sit on private addresses reached over
 * a VPN, but the one who names the targets is an NCB or an admin, and a NOTIFY sent to a
 * private or loopback address leaves from inside the operator's network: only the operator,
 * who set up the link to the ISP, knows which private networks are an ISP's. So non-public
 * targets are refused unless WOL_NOTIFY_ALLOW names their network; the metadata services
 * always; unspecified, multicast and broadcast addresses and port 0 are no target at all.
 */
import ipaddr from 'ipaddr.js';
import type { AddressRange } from './address-list.ts';
import { webhookTargetAllowed } from './webhook-target.ts';

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

/** Whether a NOTIFY may be sent to `target`: a public address, or one in `allow` (never a metadata service). */
export function notifyTargetAllowed(target: NotifyTarget, allow: readonly AddressRange[]): boolean {
  return webhookTargetAllowed(target.address, allow);
}
