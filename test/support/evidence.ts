/** Reports and assessments for a domain, sent through the API as hotlines would. */
import type { Actors } from './actors.ts';
import { confirming, ok } from './actors.ts';
import type { TestContext } from './context.ts';

let counter = 0;

/**
 * Reports `url` from each reporter in `from` (default: A in SE and B in IT, which meets
 * the default criteria), each with its own confirming assessment.
 */
export async function report(
  ctx: TestContext,
  a: Actors,
  url: string,
  options: { from?: string[]; daysAgo?: number; assessment?: Record<string, unknown> } = {},
): Promise<number[]> {
  const ids: number[] = [];
  for (const token of options.from ?? [a.reporterA, a.reporterB]) {
    const body = {
      externalRef: `ev-${++counter}`,
      url,
      assessment: confirming(ctx, options.daysAgo ?? 3, options.assessment),
    };
    ids.push((await ok<{ id: number }>(ctx.call('POST', '/v1/reports', { token, body }))).id);
  }
  return ids;
}

export async function build(ctx: TestContext, a: Actors) {
  return ok<{
    version: number;
    changed: boolean;
    added: number;
    removed: number;
    entryCount: number;
    evaluated: number;
    full: boolean;
    timeToListing: { firstListed: number; medianSeconds: number | null; maxSeconds: number | null } | null;
  }>(ctx.call('POST', '/v1/builds', { token: a.analyst, body: {} }));
}

/** The newest txt artifact as an ISP pulls it, as a list of keys. */
export async function listed(ctx: TestContext, a: Actors): Promise<string[]> {
  const res = await ctx.call('GET', '/v1/list/latest.txt', { token: a.isp });
  if (res.status !== 200) throw new Error(`latest.txt answered ${res.status}: ${await res.text()}`);
  return (await res.text()).split('\n').filter(Boolean);
}

/** Lists full hostnames under `domain` instead of the registrable domain (shared hosting). */
export async function listHostnames(ctx: TestContext, a: Actors, domain: string): Promise<void> {
  await ok(
    ctx.call('PUT', `/v1/domains/${domain}/policy`, {
      token: a.analyst,
      body: { granularity: 'hostname', reason: 'hosts of many sites' },
    }),
  );
}
