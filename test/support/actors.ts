/**
 * Organisations and keys made through the API as an operator would: a bootstrap admin,
 * then organisations and credentials for every role.
 */
import { ensureBootstrapAdmin } from '../../src/services/bootstrap.ts';
import type { TestContext } from './context.ts';

export const ADMIN_TOKEN = `wol_admin_${'t'.repeat(40)}`;

export interface Actors {
  admin: string;
  reporterA: string;
  reporterB: string;
  reporterC: string;
  analyst: string;
  ncb: string;
  isp: string;
  orgs: { hotlineA: number; agencyB: number; hotlineC: number; operator: number; ncb: number; isp: number };
}

export async function ok<T = Record<string, unknown>>(
  res: Response | Promise<Response>,
  ...statuses: number[]
): Promise<T> {
  const response = await res;
  const text = await response.text();
  const expected = statuses.length ? statuses : [200, 201];
  if (!expected.includes(response.status))
    throw new Error(`expected ${expected.join('/')}, got ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export async function createActors(ctx: TestContext): Promise<Actors> {
  await ensureBootstrapAdmin(ctx.deps, ADMIN_TOKEN);
  const org = async (name: string, kind: string, country: string) =>
    (
      await ok<{ id: number }>(
        ctx.call('POST', '/v1/organisations', { token: ADMIN_TOKEN, body: { name, kind, country } }),
      )
    ).id;
  const key = async (organisationId: number, role: string, token = ADMIN_TOKEN) =>
    (
      await ok<{ token: string }>(
        ctx.call('POST', '/v1/credentials', { token, body: { organisationId, role, label: role } }),
      )
    ).token;
  const orgs = {
    hotlineA: await org('ZZ Hotline A', 'hotline', 'SE'),
    agencyB: await org('ZZ Agency B', 'agency', 'IT'),
    hotlineC: await org('ZZ Hotline C', 'hotline', 'SE'),
    operator: await org('ZZ List team', 'operator', 'FR'),
    ncb: await org('ZZ NCB', 'ncb', 'SE'),
    isp: await org('ZZ ISP', 'isp', 'SE'),
  };
  const ncb = await key(orgs.ncb, 'ncb');
  return {
    admin: ADMIN_TOKEN,
    reporterA: await key(orgs.hotlineA, 'reporter'),
    reporterB: await key(orgs.agencyB, 'reporter'),
    reporterC: await key(orgs.hotlineC, 'reporter'),
    analyst: await key(orgs.operator, 'analyst'),
    ncb,
    isp: await key(orgs.isp, 'isp', ncb),
    orgs,
  };
}

/** An assessment that meets every default criterion, observed `daysAgo` before the context's clock. */
export function confirming(ctx: TestContext, daysAgo = 3, overrides: Record<string, unknown> = {}) {
  return {
    verdict: 'confirmed',
    realChild: true,
    apparentAge: 'prepubescent',
    severity: 7,
    observedOnlineAt: new Date(ctx.now().getTime() - daysAgo * 86_400_000).toISOString(),
    ...overrides,
  };
}
