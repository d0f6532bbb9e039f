/**
 * Bearer-key authorization. 401 when the key is missing, unknown, expired or revoked; 403
 * when the key is valid but its role may not use the route. Both are problem+json.
 */
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../deps.ts';
import { authenticateToken } from '../services/credentials.ts';
import type { Principal, Role } from '../services/principal.ts';
import type { AppEnv } from './env.ts';
import { HttpProblem, problem } from './problem.ts';

const unauthorized = (detail: string) =>
  new HttpProblem(problem(401, 'unauthorized', detail), { 'www-authenticate': 'Bearer realm="worstof"' });

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

export async function resolvePrincipal(deps: Deps, header: string | undefined): Promise<Principal> {
  const token = bearerToken(header);
  if (!token) throw unauthorized('an API key is required: Authorization: Bearer wol_…');
  const principal = await authenticateToken(deps, token);
  if (!principal) throw unauthorized('the API key is unknown, expired or revoked');
  return principal;
}

export function requireRoles(deps: Deps, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await resolvePrincipal(deps, c.req.header('authorization'));
    if (!roles.includes(principal.role))
      throw new HttpProblem(problem(403, 'forbidden', `the ${principal.role} role may not use this route`));
    c.set('principal', principal);
    await next();
  };
}

/** The principal a route's middleware has resolved. */
export function principalOf(c: { get(key: 'principal'): Principal | null }): Principal {
  const principal = c.get('principal');
  if (!principal) throw new Error('route registered without requireRoles');
  return principal;
}
