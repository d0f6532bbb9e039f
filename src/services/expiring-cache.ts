/**
 * Values looked up by key and kept for at most a TTL, never past the expiry the lookup gives
 * (a credential's): the resolved bearer keys (pull-cache.ts) and TSIG keys (tsig-key-cache.ts).
 * A miss is kept too, so a wrong key costs one lookup a TTL. Bounded: past `maxKeys` it starts
 * afresh.
 */
export interface ExpiringCache<V> {
  /** `now` is the caller's instant (its deps.clock), so an expiry passes when the clock says so. */
  get(key: string, now: Date, load: () => Promise<{ value: V; expiresAt: Date | null } | null>): Promise<V | null>;
  /** After a revocation (or any change to what is kept): look every key up afresh. */
  clear(): void;
}

export function createExpiringCache<V>(ttlMs: number, maxKeys = 10_000): ExpiringCache<V> {
  const entries = new Map<string, { value: V | null; until: number }>();
  return {
    async get(key, now, load) {
      const at = now.getTime();
      const hit = entries.get(key);
      if (hit && hit.until > at) return hit.value;
      const loaded = await load();
      if (entries.size > maxKeys) entries.clear();
      const until = Math.min(at + ttlMs, loaded?.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
      entries.set(key, { value: loaded?.value ?? null, until });
      return loaded?.value ?? null;
    },
    clear() {
      entries.clear();
    },
  };
}
