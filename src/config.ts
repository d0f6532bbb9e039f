/**
 * Configuration: one zod schema over the environment, parsed once at start-up.
 * A bad value stops the start with a message naming the variable.
 */
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import type { JWK } from 'jose';
import { z } from 'zod';
import { parseAddressList } from './core/address-list.ts';
import { cronShapeError } from './core/cron-expression.ts';
import { parseDuration } from './core/duration.ts';
import { tokenPattern } from './core/tokens.ts';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const seconds = parseDuration(value);
      if (seconds === null) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration such as 3600, 30m, 12h or 7d' });
        return z.NEVER;
      }
      return seconds;
    });

/** A duration in seconds, or null for `off`. */
const durationOrOff = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      if (value.trim() === 'off') return null;
      const seconds = parseDuration(value);
      if (seconds === null) {
        ctx.addIssue({ code: 'custom', message: 'expected "off" or a duration such as 30, 30s, 2m' });
        return z.NEVER;
      }
      return seconds;
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** `address:port` to listen on: an IPv4 literal or a bracketed IPv6 one; port 0 takes any free one. */
function isListenAddress(value: string): boolean {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(value);
  if (!match || Number(match[3]) > 65535) return false;
  return match[1] !== undefined
    ? ipaddr.IPv6.isValid(match[1])
    : ipaddr.IPv4.isValidFourPartDecimal(match[2] as string);
}

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

// Not z.coerce: an empty PORT would coerce to 0, a random port nobody asked for.
const port = z
  .string()
  .regex(/^\d{1,5}$/, 'expected a port number from 0 to 65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'expected a port number from 0 to 65535'))
  .default(8080);

/** Comma-separated IP addresses and CIDR networks (core/address-list.ts); empty: none. */
const addressList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    try {
      return parseAddressList(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** An address to listen on: an IP literal (not a name that would be resolved at start) or localhost. */
const listenAddress = z
  .string()
  .refine(
    (v) => v === 'localhost' || ipaddr.IPv4.isValidFourPartDecimal(v) || ipaddr.IPv6.isValid(v),
    'expected an IPv4 or IPv6 address to listen on (such as 0.0.0.0, 127.0.0.1 or ::), or localhost',
  )
  .default('0.0.0.0');

/** A private Ed25519 JWK, checked for shape here so a bad value names the variable; its key is imported at start. */
const signingKey = optionalString.refine((v) => {
  if (v === undefined) return true;
  try {
    const jwk = JSON.parse(v) as Record<string, unknown>;
    return jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.d === 'string' && typeof jwk.x === 'string';
  } catch {
    return false;
  }
}, 'expected a private Ed25519 JWK as JSON (kty OKP, crv Ed25519, with d and x)');

/**
 * The pinned central JWK Set of a national instance, read from the file named (the file, not
 * the keys, is what operators configure, so a key rotation is a file change and a restart).
 */
const upstreamJwks = optionalString.transform((file, ctx) => {
  if (file === undefined) return undefined;
  let keys: unknown;
  try {
    keys = (JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown }).keys;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `cannot read a JWK Set from ${file}: ${(error as Error).message}` });
    return z.NEVER;
  }
  const usable = Array.isArray(keys) ? keys.filter((k) => k?.kty === 'OKP' && k?.crv === 'Ed25519' && k?.kid) : [];
  if (usable.length === 0 || usable.some((k) => typeof k.d === 'string')) {
    ctx.addIssue({
      code: 'custom',
      message: `${file} must hold a public JWK Set ({"keys": [...]}) with at least one Ed25519 key with a kid, and no private key`,
    });
    return z.NEVER;
  }
  return { file, keys: usable as JWK[] };
});

export const configSchema = z
  .object({
    PORT: port,
    HOST: listenAddress,
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
        .optional(),
    ),
    WOL_BUILD_CRON: z
      .string()
      .default('0 * * * *')
      // The shape only, so Workers load no scheduler; Node's start-up asks node-cron too (schedule/cron.ts).
      .refine(
        (v) => v === 'off' || cronShapeError(v) === null,
        'expected a cron expression (five or six fields) or "off"',
      ),
    WOL_BOOTSTRAP_ADMIN_TOKEN: optionalString.pipe(
      z
        .string()
        .regex(tokenPattern('admin'), 'expected wol_admin_ followed by at least 22 characters of [A-Za-z0-9_-]')
        .optional(),
    ),
    WOL_PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    WOL_MANIFEST_TTL: duration('7d'),
    WOL_TIMESTAMP_TTL: duration('1d'),
    WOL_BLOCK_PAGE_HOST: optionalString.pipe(
      z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z][a-z0-9-]{0,62}$/i, 'expected a host name')
        .optional(),
    ),
    WOL_SIGNING_KEY: signingKey,
    WOL_KEEP_VERSIONS: int(500, 2, 1_000_000),
    WOL_REVIEW_AFTER_DAYS: int(30, 1, 3650),
    /** An ISP whose last pull is older than this many hours (or that never pulled) is stale: a dashboard work queue. */
    WOL_ISP_STALE_HOURS: int(48, 1, 8760),
    WOL_MAX_BODY_BYTES: int(16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    /** Public delisting requests each client address may send per WOL_DELISTING_WINDOW (per instance). */
    WOL_DELISTING_RATE: int(5, 1, 1_000_000),
    WOL_DELISTING_WINDOW: duration('10m'),
    WOL_POLL_INTERVAL: duration('1h'),
    /**
     * Signs the console's session cookies (HS256). Unset: a random secret per process, so sessions
     * end at a restart and each instance has its own: multi-instance deployments must set it.
     */
    WOL_SESSION_SECRET: optionalString.pipe(z.string().min(32, 'expected at least 32 characters').optional()),
    WOL_SESSION_TTL: duration('8h'),
    /** Clients allowed to read /metrics without a key: comma-separated IP addresses and CIDR networks. */
    WOL_METRICS_ALLOW: addressList,
    /** How long a stop (SIGTERM, SIGINT) may take before the process exits anyway, non-zero. */
    WOL_SHUTDOWN_TIMEOUT: duration('30s'),
    /** Build this long after evidence changes (seconds), or `off` (null): only the schedule and explicit builds. */
    WOL_BUILD_DEBOUNCE: durationOrOff('off'),
    WOL_WEBHOOK_TIMEOUT: duration('10s'),
    WOL_WEBHOOK_ATTEMPTS: int(6, 1, 20),
    WOL_WEBHOOK_BACKOFF: duration('30s'),
    /** Non-public networks webhooks may be sent to anyway (say, the NCBs' over a private link): addresses and CIDR networks. */
    WOL_WEBHOOK_ALLOW: addressList,
    /** Where the DNS listener serves the RPZ by zone transfer (`127.0.0.1:5300`, `[::]:53`); unset: no listener. */
    WOL_DNS_LISTEN: optionalString.pipe(
      z
        .string()
        .refine(isListenAddress, 'expected an IP address and a port from 0 to 65535, such as 127.0.0.1:5300 or [::]:53')
        .optional(),
    ),
    /** The zone the listener serves (the name resolvers load the RPZ under). */
    WOL_RPZ_ZONE: z
      .string()
      .default('rpz.worstof')
      .transform((v) => v.trim().toLowerCase().replace(/\.$/, ''))
      .pipe(
        z
          .string()
          .regex(
            /^(?=.{1,50}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/,
            'expected a zone name of at most 50 characters',
          ),
      ),
    /** DNS requests each source address may send per second (per instance); more are dropped. */
    WOL_DNS_RATE: int(20, 1, 1_000_000),
    WOL_NOTIFY_ATTEMPTS: int(5, 1, 20),
    WOL_NOTIFY_BACKOFF: duration('15s'),
    /** Non-public networks NOTIFY may be sent to anyway (ISPs' secondaries over a VPN): addresses and CIDR networks. */
    WOL_NOTIFY_ALLOW: addressList,
    /** The central service a national instance follows (issue 17); unset: this instance is central. */
    WOL_UPSTREAM_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    /** An `ncb` key issued by the central service. */
    WOL_UPSTREAM_TOKEN: optionalString.pipe(
      z
        .string()
        .regex(tokenPattern('ncb'), 'expected an ncb key: wol_ncb_ followed by at least 22 characters')
        .optional(),
    ),
    WOL_UPSTREAM_JWKS: upstreamJwks,
    WOL_UPSTREAM_POLL: duration('5m'),
    /** How long past the last verified upstream timestamp's exp national timestamps may still be signed for. */
    WOL_UPSTREAM_GRACE: duration('2d'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  // No trust on first use: following an upstream needs its key and its pinned keys.
  .superRefine((config, ctx) => {
    if (config.WOL_UPSTREAM_URL === undefined) return;
    for (const name of ['WOL_UPSTREAM_TOKEN', 'WOL_UPSTREAM_JWKS'] as const)
      if (config[name] === undefined)
        ctx.addIssue({ code: 'custom', path: [name], message: 'required when WOL_UPSTREAM_URL is set' });
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
