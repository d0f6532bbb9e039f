/**
 * Request limits per client address for the unauthenticated writes, kept in memory: each
 * instance counts on its own, so N instances admit up to N times the limit. Fixed windows:
 * a window opens at an address's first request and admits `limit` requests until it ends.
 *
 * Memory is bounded: windows are kept in a Map in the order they opened, so the expired ones
 * are always at its front and are dropped as new ones come in; when `maxKeys` windows are
 * open at once, the oldest is forgotten (that address starts afresh, nobody is refused for it).
 */
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import { RateLimitedError } from '../services/errors.ts';
import type { AppEnv } from './env.ts';

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}

export type RateLimitVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Window {
  start: number;
  count: number;
}

const DEFAULT_MAX_KEYS = 50_000;

export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimitOptions) {
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  }

  /** Counts one request from `key` at `now` (ms) and says whether it may proceed. */
  take(key: string, now: number): RateLimitVerdict {
    this.dropExpired(now);
    let window = this.windows.get(key);
    if (window && now - window.start >= this.options.windowMs) {
      this.windows.delete(key);
      window = undefined;
    }
    if (!window) {
      if (this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next();
        if (!oldest.done) this.windows.delete(oldest.value);
      }
      window = { start: now, count: 0 };
      // Re-inserted at the end: the Map stays ordered by window start.
      this.windows.set(key, window);
    }
    if (window.count >= this.options.limit)
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.options.windowMs - now) / 1000)),
      };
    window.count++;
    return { allowed: true, remaining: this.options.limit - window.count };
  }

  /**
   * Whether `key` may proceed at `now`, counting nothing: for limits on failures, which
   * check before the attempt and take() only when it fails.
   */
  check(key: string, now: number): RateLimitVerdict {
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.options.windowMs || window.count < this.options.limit)
      return {
        allowed: true,
        remaining: this.options.limit - (window && now - window.start < this.options.windowMs ? window.count : 0),
      };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.options.windowMs - now) / 1000)),
    };
  }

  /** Addresses with an open window (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private dropExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start < this.options.windowMs) break;
      this.windows.delete(key);
    }
  }
}

/** Sign-in attempts each client address may make per window (per instance). */
const SIGN_IN_ATTEMPTS = 10;
const SIGN_IN_WINDOW_MS = 15 * 60_000;

/** The limits of this process (composeDeps makes them once, so every app built over the deps shares them). */
export interface Limiters {
  /** Public delisting requests (WOL_DELISTING_RATE per WOL_DELISTING_WINDOW). */
  delisting: FixedWindowLimiter;
  /** The console's failed sign-ins. */
  signIn: FixedWindowLimiter;
}

export function createLimiters(config: Config): Limiters {
  return {
    delisting: new FixedWindowLimiter({
      limit: config.WOL_DELISTING_RATE,
      windowMs: config.WOL_DELISTING_WINDOW * 1000,
    }),
    signIn: new FixedWindowLimiter({ limit: SIGN_IN_ATTEMPTS, windowMs: SIGN_IN_WINDOW_MS }),
  };
}

/**
 * The key an address is limited under. IPv6 clients usually hold a whole /64, so they are
 * limited per /64; an IPv4-mapped IPv6 address is its IPv4 address.
 */
export function addressKey(address: string): string {
  const ip = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::', 2);
  const groups = (part: string | undefined) =>
    part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : [];
  const front = groups(head);
  const back = groups(tail);
  const all =
    tail === undefined ? front : [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return ip;
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Refuses a request over its address's limit with a 429 problem and Retry-After. */
export function rateLimit(limiter: FixedWindowLimiter, clock: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const verdict = limiter.take(addressKey(c.get('clientIp')), clock().getTime());
    if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
    await next();
  };
}
