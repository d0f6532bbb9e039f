/** Serving an app on loopback inside the benchmark process, and a credential to call it with. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { generateToken, hashToken } from '../src/core/tokens.ts';
import type { Role } from '../src/core/vocabulary.ts';
import { insertCredential } from '../src/db/repositories/credentials.ts';
import { listOrganisations } from '../src/db/repositories/organisations.ts';
import type { Deps } from '../src/deps.ts';

export async function serveOnLoopback(fetch: (request: Request) => Response | Promise<Response>) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A credential of `role` for the first organisation of `kind` (created by the seed). */
export async function benchToken(
  deps: Deps,
  role: Role,
  kind: 'hotline' | 'agency' | 'isp' | 'ncb' | 'operator',
): Promise<string> {
  let organisation = (await listOrganisations(deps.db, { kind }))[0];
  if (!organisation) {
    const { insertOrganisation } = await import('../src/db/repositories/organisations.ts');
    organisation = await insertOrganisation(deps.db, { name: `Bench ${kind}`, kind, country: 'SE' });
  }
  const token = generateToken(role);
  await insertCredential(deps.db, {
    organisationId: organisation!.id,
    role,
    tokenHash: hashToken(token),
    label: 'bench',
  });
  return token;
}
