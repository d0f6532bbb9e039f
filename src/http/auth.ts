/**
 * API-key authorization. 401 when the key is missing, unknown, expired or revoked; 403 when
 * the key is valid but its role may not use the route. Both are problem+json.
 *
 * Keys come as `Authorization: Bearer KEY`. The pull routes also take HTTP Basic with the key
 * as the password (`Basic base64(any-user:KEY)`): firewalls and proxies that fetch lists on
 * their own schedule (PAN-OS External Dynamic Lists, FortiGate threat feeds) can send nothing
 * else. It is the same credential, so the same principal, role, audit and pull records.
 */
import type { MiddlewareHandler } from 'hono';
import type { Role } from '../core/vocabulary.ts';
import type { Deps } from '../deps.ts';
import type { Caller } from '../services/caller.ts';
import { authenticateToken } from '../services/credentials.ts';
import type { Principal } from '../services/principal.ts';
import type { AppEnv } from './env.ts';
import { HttpProblem, problem } from './problem.ts';

type Scheme = 'Bearer' | 'Basic';

const challenge = (scheme: Scheme) => `${scheme} realm="worstof"`;

/**
 * Where Basic is accepted, every 401 offers it, first unless the request used Bearer: clients
 * that wait for a challenge before sending credentials are the Basic ones, and some read only
 * the first challenge of the header.
 */
function unauthorized(detail: string, basic: boolean, used: Scheme | null) {
  const schemes: Scheme[] = !basic ? ['Bearer'] : used === 'Bearer' ? ['Bearer', 'Basic'] : ['Basic', 'Bearer'];
  return new HttpProblem(problem(401, 'unauthorized', detail), {
    'www-authenticate': schemes.map(challenge).join(', '),
  });
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * The password of `Basic base64(user:password)` (RFC 7617): everything after the first colon,
 * whatever the user name. Null when the header is not Basic or does not decode to `user:password`.
 */
export function basicPassword(header: string | undefined): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? '');
  if (!match) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]!);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

function schemeOf(header: string | undefined): Scheme | null {
  if (/^Bearer\s/i.test(header ?? '')) return 'Bearer';
  if (/^Basic\s/i.test(header ?? '')) return 'Basic';
  return null;
}

export async function resolvePrincipal(
  deps: Deps,
  header: string | undefined,
  options: { basic?: boolean } = {},
): Promise<Principal> {
  const basic = options.basic ?? false;
  const used = schemeOf(header);
  const token = used === 'Basic' && basic ? basicPassword(header) : bearerToken(header);
  if (!token)
    throw unauthorized(
      basic
        ? 'an API key is required: Authorization: Bearer wol_…, or Basic with the key as the password'
        : 'an API key is required: Authorization: Bearer wol_…',
      basic,
      used,
    );
  const principal = await authenticateToken(deps, token);
  if (!principal) throw unauthorized('the API key is unknown, expired or revoked', basic, used);
  return principal;
}

function guard(deps: Deps, roles: Role[], basic: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await resolvePrincipal(deps, c.req.header('authorization'), { basic });
    if (!roles.includes(principal.role))
      throw new HttpProblem(problem(403, 'forbidden', `the ${principal.role} role may not use this route`));
    c.set('principal', principal);
    await next();
  };
}

export function requireRoles(deps: Deps, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return guard(deps, roles, false);
}

/** The pull routes: Bearer or Basic (the key as the password). */
export function requirePullRoles(deps: Deps, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return guard(deps, roles, true);
}

/** The principal a route's middleware has resolved. */
export function principalOf(c: { get(key: 'principal'): Principal | null }): Principal {
  const principal = c.get('principal');
  if (!principal) throw new Error('route registered without requireRoles');
  return principal;
}

/** What every request knows of its caller besides a principal (the API's context and the console's alike). */
type RequestVariables = { get(key: 'clientIp' | 'requestId'): string };

/** The caller of a verb behind a route's middleware: its principal, the client's address, the request id. */
export function callerOf(c: { get(key: 'principal'): Principal | null } & RequestVariables): Caller {
  return requestCaller(c, principalOf(c));
}

/** The caller as `principal` (the console's signed-in user, or null where anyone may call). */
export function requestCaller<P extends Principal | null>(c: RequestVariables, principal: P): Caller<P> {
  return { principal, ip: c.get('clientIp'), requestId: c.get('requestId') };
}
