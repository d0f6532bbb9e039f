/**
 * `worstof serve` as a national instance (issue 17), as an NCB runs it: the real server process
 * follows a central instance over loopback on WOL_UPSTREAM_POLL, builds after each new upstream
 * version with no explicit build, and serves the result to its ISPs; a missing setting stops
 * the start naming it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, ADMIN_TOKEN, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { createTestDatabase, databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';
import { waitFor } from './support/programs.ts';
import { type Served, startServe } from './support/serve.ts';
import { listen } from './support/server.ts';

let dir: string;
let central: TestContext;
let actors: Actors;
let env: Record<string, string>;
let served: Served | undefined;
const closers: (() => Promise<void>)[] = [];

const admin = <T>(url: string, body: unknown) =>
  ok<T>(
    fetch(`${served!.url}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

beforeAll(async () => {
  await mkdir('/tmp/wol/h17', { recursive: true });
  dir = await mkdtemp('/tmp/wol/h17/national-serve-');
  central = await createTestContext();
  actors = await createActors(central);
  const http = await listen(central);
  closers.push(http.close, central.close);
  await writeFile(path.join(dir, 'central.json'), await (await central.call('GET', '/.well-known/jwks.json')).text());
  // Its own database: a PostgreSQL database of its own, or PGlite in its DATA_DIR.
  const database = await createTestDatabase();
  closers.push(database.close);
  env = {
    DATA_DIR: path.join(dir, 'data'),
    DATABASE_URL: database.url ?? '',
    WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    WOL_UPSTREAM_URL: http.url,
    WOL_UPSTREAM_TOKEN: actors.ncb,
    WOL_UPSTREAM_JWKS: path.join(dir, 'central.json'),
    WOL_UPSTREAM_POLL: '1s',
  };
}, 60_000);

afterAll(async () => {
  await served?.stop();
  for (const close of closers.reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

describe(`serve as a national instance (${databaseName})`, () => {
  it('polls the upstream and builds after each new version, with no explicit build', async () => {
    await report(central, actors, 'http://zz-serve-one.com/a');
    await build(central, actors);
    served = await startServe(env);
    const serving = served.lines().find((l) => l.msg === 'worstof is serving');
    expect(serving).toMatchObject({ upstream: env.WOL_UPSTREAM_URL, upstreamPoll: 1 });

    const isp = await admin<{ id: number }>('/v1/organisations', { name: 'ZZ ISP', kind: 'isp', country: 'SE' });
    const { token } = await admin<{ token: string }>('/v1/credentials', {
      organisationId: isp.id,
      role: 'isp',
      label: 'resolver',
    });
    const latest = async () => {
      const res = await fetch(`${served!.url}/v1/list/latest.txt`, { headers: { authorization: `Bearer ${token}` } });
      return res.status === 200 ? res.text() : '';
    };
    await waitFor(
      async () => (await latest()) === 'zz-serve-one.com\n',
      'the first national build',
      async () => served!.output(),
    );

    await report(central, actors, 'http://zz-serve-two.com/a');
    await build(central, actors);
    await waitFor(
      async () => (await latest()) === 'zz-serve-one.com\nzz-serve-two.com\n',
      'the national build after the second upstream version',
      async () => served!.output(),
    );
    expect(served.lines().some((l) => l.msg === 'upstream version stored')).toBe(true);
    expect(await served.stop()).toBe(0);
    served = undefined;
  });

  it('logs a failed sync with its reason and keeps serving', async () => {
    served = await startServe({ ...env, WOL_UPSTREAM_URL: 'http://127.0.0.1:9' });
    await served.waitFor('upstream sync failed: the national list is unchanged');
    const line = served.lines().find((l) => l.msg === 'upstream sync failed: the national list is unchanged');
    expect(line?.upstream).toMatchObject({ reason: 'unreachable' });
    expect((await fetch(`${served.url}/healthz`)).status).toBe(200);
    expect(await served.stop()).toBe(0);
    served = undefined;
  });

  it('stops at start naming a missing WOL_UPSTREAM_JWKS', async () => {
    const { WOL_UPSTREAM_JWKS: _, ...without } = env;
    const failed = await startServe(without).catch((error: Error) => error.message);
    expect(failed).toMatch(/WOL_UPSTREAM_JWKS: required when WOL_UPSTREAM_URL is set/);
  });
});
