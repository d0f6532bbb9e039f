/**
 * The zone the DNS listener last parsed from a version's stored rpz artifact (zone-transfer.ts),
 * kept until a newer version's replaces it. composeDeps makes one per process.
 */
import type { Zone } from '../core/rpz-zone.ts';

/** The zone of one version, its AXFR messages encoded once (ID 0, patched per answer). */
export interface ParsedZone {
  /** The version, its manifest digest and the format, as the pull cache's artifact key. */
  key: string;
  zone: Zone;
  axfr?: Buffer[];
}

export interface ZoneCache {
  current: ParsedZone | null;
}
