/**
 * TAXII object id -> listing, as of the newest version (taxii.ts builds it): UUIDv5 is SHA-1,
 * which PostgreSQL has no built-in function for, so ids are made here and looked up here.
 * composeDeps makes one per process; it is rebuilt when the newest version (or its digest: a
 * restored database) changes.
 */

/** What an indicator id names. */
export interface Listing {
  listKey: string;
  addedVersion: number;
}

export interface TaxiiIndex {
  current: { version: number; digest: string; byId: Map<string, Listing> } | null;
}
