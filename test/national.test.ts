/**
 * National redistribution (issue 17): two real instances over real HTTP on loopback, each with
 * its own database (two databases on PostgreSQL). The national one follows the central one
 * (WOL_UPSTREAM_*), verifies and stores its versions, publishes the overlay signed with its own
 * key, and refuses whatever does not verify, with its list unchanged and the reason recorded.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { buildManifest, buildTimestamp, MANIFEST_TYP, TIMESTAMP_TYP } from '../src/core/manifest.ts';
import { buildNotification, NOTIFICATION_TYP } from '../src/core/notification.ts';
import { signCompact } from '../src/core/signing.ts';
import { sha256Hex } from '../src/core/tokens.ts';
import { queryRows } from '../src/db/database.ts';
import type { Deps } from '../src/deps.ts';
import { createPrometheusMetrics } from '../src/prometheus-metrics.ts';
import { activeSigningKey } from '../src/services/keys.ts';
import { syncUpstream } from '../src/services/upstream-sync.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { ConsoleClient } from './support/console.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed, report } from './support/evidence.ts';
import { payloadOf } from './support/jws.ts';
import { parsePrometheus, value } from './support/prometheus.ts';
import { listen, worstof } from './support/server.ts';
import { forwardTo, serveUpstream } from './support/upstream.ts';

let dir: string;
let central: TestContext;
let centralActors: Actors;
let centralUrl: string;
let national: TestContext;
let nationalActors: Actors;
let nationalUrl: string;
const closers: (() => Promise<void>)[] = [];

const text = async (ctx: TestContext, url: string, token: string) => {
  const res = await ctx.call('GET', url, { token });
  expect(res.status, `${url}: ${res.status}`).toBe(200);
  return res.text();
};
const upstreamStatus = (ctx = national) =>
  ok<{
    version: number | null;
    manifestSha256: string | null;
    stale: boolean;
    syncedAt: string | null;
    timestampExpiresAt: string | null;
    lastError: { reason: string; message: string } | null;
  }>(ctx.call('GET', '/v1/upstream', { token: nationalActors.ncb }));
/** The national instance pointed elsewhere (a proxy, a restored or forked upstream), its database the same. */
const via = (url: string, extra: Partial<Deps['config']> = {}): Deps => ({
  ...national.deps,
  config: { ...national.deps.config, WOL_UPSTREAM_URL: url, ...extra },
});
/** What an ISP of the country has: its pull file, verified against the pinned national key. */
async function ispPull(format = 'txt'): Promise<{ code: number; file: string; stderr: string }> {
  const out = path.join(dir, `isp.${format}`);
  const run = await worstof([
    'pull',
    '--server',
    nationalUrl,
    '--token',
    nationalActors.isp,
    '--format',
    format,
    '--out',
    out,
    '--jwks',
    path.join(dir, 'national-jwks.json'),
    '--quiet',
  ]);
  return { code: run.code, file: await readFile(out, 'utf8').catch(() => ''), stderr: run.stderr };
}
const nationalLatest = async () =>
  payloadOf(await text(national, '/v1/list/manifest', nationalActors.isp)) as {
    version: number;
    upstream?: { version: number; manifestSha256: string } | null;
    overlay?: { upstream: number; withheld: number; national: number };
  };

beforeAll(async () => {
  await mkdir('/tmp/wol/h17', { recursive: true });
  dir = await mkdtemp('/tmp/wol/h17/national-');
  central = await createTestContext({ WOL_WEBHOOK_ALLOW: '127.0.0.1/32', WOL_WEBHOOK_BACKOFF: '1s' });
  centralActors = await createActors(central);
  const c = await listen(central);
  centralUrl = c.url;
  closers.push(c.close, central.close);
  await writeFile(
    path.join(dir, 'central-jwks.json'),
    await (await central.call('GET', '/.well-known/jwks.json')).text(),
  );

  national = await createTestContext({
    WOL_UPSTREAM_URL: centralUrl,
    WOL_UPSTREAM_TOKEN: centralActors.ncb,
    WOL_UPSTREAM_JWKS: path.join(dir, 'central-jwks.json'),
    WOL_TIMESTAMP_TTL: '30d',
    WOL_UPSTREAM_GRACE: '2d',
  });
  nationalActors = await createActors(national);
  const n = await listen(national);
  nationalUrl = n.url;
  closers.push(n.close, national.close);
  await writeFile(
    path.join(dir, 'national-jwks.json'),
    await (await national.call('GET', '/.well-known/jwks.json')).text(),
  );
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

describe(`a national instance following the central one (${databaseName})`, () => {
  it('brings a domain qualifying centrally to a national ISP pull file after one sync', async () => {
    await report(central, centralActors, 'http://zz-up-one.com/a');
    expect((await build(central, centralActors)).version).toBe(1);

    const synced = await syncUpstream(national.deps);
    expect(synced).toEqual({ ok: true, changed: true, version: 1 });
    const status = await upstreamStatus();
    const centralManifest = await text(central, '/v1/list/manifest', centralActors.isp);
    expect(status).toMatchObject({
      version: 1,
      manifestSha256: sha256Hex(centralManifest),
      stale: false,
      lastError: null,
    });
    // A second sync finds the upstream current and stores nothing.
    expect(await syncUpstream(national.deps)).toEqual({ ok: true, changed: false, version: 1 });

    expect((await build(national, nationalActors)).version).toBe(1);
    const pulled = await ispPull();
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.file).toBe('zz-up-one.com\n');
    const manifest = await nationalLatest();
    expect(manifest.upstream).toEqual({ version: 1, manifestSha256: sha256Hex(centralManifest) });
    expect(manifest.overlay).toEqual({ upstream: 1, withheld: 0, national: 0 });
    // Signed with the national key, not the central one.
    const jwks = JSON.parse(await readFile(path.join(dir, 'national-jwks.json'), 'utf8')) as {
      keys: { kid: string }[];
    };
    const header = JSON.parse(
      Buffer.from(
        (await text(national, '/v1/list/manifest', nationalActors.isp)).split('.')[0]!,
        'base64url',
      ).toString(),
    );
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    // A central manifest has neither field.
    expect(Object.keys(payloadOf(centralManifest))).not.toContain('upstream');
  });

  it('leaves a withheld upstream entry out of the national list, adds national additions, and marks each source', async () => {
    await report(central, centralActors, 'http://zz-up-two.com/a');
    await report(central, centralActors, 'http://zz-up-three.com/a');
    expect((await build(central, centralActors)).version).toBe(2);

    const withheld = await ok(
      national.call('PUT', '/v1/domains/zz-up-two.com/withholding', {
        token: nationalActors.analyst,
        body: { category: 'court_order', reason: 'court order 17/2026' },
      }),
      201,
    );
    expect(withheld).toMatchObject({ listKey: 'zz-up-two.com', state: 'withheld', category: 'court_order' });
    expect(
      (
        await national.call('PUT', '/v1/domains/zz-up-two.com/withholding', {
          token: nationalActors.analyst,
          body: { category: 'court_order', reason: 'again' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await national.call('PUT', '/v1/domains/zz-up-two.com/withholding', {
          token: nationalActors.analyst,
          body: { category: 'whim', reason: 'no such category' },
        })
      ).status,
    ).toBe(422);
    // Only a national instance withholds.
    expect(
      (
        await central.call('PUT', '/v1/domains/zz-up-two.com/withholding', {
          token: centralActors.analyst,
          body: { category: 'court_order', reason: 'not here' },
        })
      ).status,
    ).toBe(404);
    // A national addition: the national instance's own hotlines and criteria.
    await report(national, nationalActors, 'http://zz-nat-one.com/a');

    expect(await syncUpstream(national.deps)).toMatchObject({ ok: true, changed: true, version: 2 });
    expect((await build(national, nationalActors)).changed).toBe(true);

    expect(await listed(national, nationalActors)).toEqual(['zz-nat-one.com', 'zz-up-one.com', 'zz-up-three.com']);
    expect(await listed(central, centralActors)).toEqual(['zz-up-one.com', 'zz-up-three.com', 'zz-up-two.com']);
    expect((await nationalLatest()).overlay).toEqual({ upstream: 3, withheld: 1, national: 1 });
    const json = JSON.parse(await text(national, '/v1/list/latest.json', nationalActors.isp)) as {
      entries: { key: string; source: string }[];
    };
    expect(json.entries.map((e) => [e.key, e.source])).toEqual([
      ['zz-nat-one.com', 'national'],
      ['zz-up-one.com', 'upstream'],
      ['zz-up-three.com', 'upstream'],
    ]);
    const centralJson = JSON.parse(await text(central, '/v1/list/latest.json', centralActors.isp)) as {
      entries: Record<string, unknown>[];
    };
    expect(centralJson.entries.every((e) => !('source' in e))).toBe(true);

    // Lifting it puts the upstream entry back at the next build; both decisions are audited.
    await ok(
      national.call('DELETE', '/v1/domains/zz-up-two.com/withholding', {
        token: nationalActors.analyst,
        body: { reason: 'order quashed' },
      }),
    );
    await build(national, nationalActors);
    expect(await listed(national, nationalActors)).toContain('zz-up-two.com');
    await ok(
      national.call('PUT', '/v1/domains/zz-up-two.com/withholding', {
        token: nationalActors.analyst,
        body: { category: 'national_law', reason: 'not blockable under national law' },
      }),
      201,
    );
    await build(national, nationalActors);
    expect(await listed(national, nationalActors)).not.toContain('zz-up-two.com');

    // In the domain's evidence and history, for the national analysts.
    const domain = await ok<{ withheld: boolean; decisions: { kind: string; reason: string; detail?: unknown }[] }>(
      national.call('GET', '/v1/domains/zz-up-two.com', { token: nationalActors.analyst }),
    );
    expect(domain.withheld).toBe(true);
    expect(domain.decisions.map((d) => [d.kind, d.reason, d.detail])).toEqual([
      ['withholding', 'not blockable under national law', { category: 'national_law' }],
      ['lift_withholding', 'order quashed', undefined],
      ['withholding', 'court order 17/2026', { category: 'court_order' }],
    ]);
    const audit = await queryRows<{ action: string }>(
      national.deps.db,
      sql`select action from audit_log where subject = 'domain:zz-up-two.com' order by id`,
    );
    expect(audit.map((r) => r.action)).toEqual(['domain.withhold', 'domain.lift_withholding', 'domain.withhold']);
    const console = new ConsoleClient(national);
    expect((await console.signIn(nationalActors.analyst)).status).toBe(303);
    const page = await console.get(await console.domainPath('zz-up-two.com'));
    expect(page.status).toBe(200);
    expect(page.html).toContain('category: national_law');
    expect(page.html).toContain('not blockable under national law');
  });

  it('lets worstof verify --upstream-jwks check the chain and refuse an altered link', async () => {
    const { version } = await nationalLatest();
    const files = {
      manifest: path.join(dir, 'n.jws'),
      json: path.join(dir, 'n.json'),
      upstreamManifest: path.join(dir, 'u.jws'),
      upstreamEntries: path.join(dir, 'u.txt'),
    };
    await writeFile(files.manifest, await text(national, `/v1/list/${version}/manifest`, nationalActors.isp));
    await writeFile(files.json, await text(national, `/v1/list/${version}.json`, nationalActors.isp));
    const upstreamManifest = await text(national, `/v1/list/${version}/upstream-manifest`, nationalActors.ncb);
    expect(upstreamManifest).toBe(await text(central, '/v1/list/2/manifest', centralActors.isp));
    await writeFile(files.upstreamManifest, upstreamManifest);
    const upstreamEntries = await text(national, `/v1/list/${version}/upstream-entries`, nationalActors.ncb);
    expect(upstreamEntries).toBe(await text(central, '/v1/list/2.txt', centralActors.isp));
    await writeFile(files.upstreamEntries, upstreamEntries);
    // ISPs do not see what the country withholds.
    expect(
      (await national.call('GET', `/v1/list/${version}/upstream-entries`, { token: nationalActors.isp })).status,
    ).toBe(403);

    const verify = (overrides: Partial<typeof files> = {}) => {
      const f = { ...files, ...overrides };
      return worstof([
        'verify',
        '--manifest',
        f.manifest,
        '--jwks',
        path.join(dir, 'national-jwks.json'),
        '--artifact',
        f.json,
        '--upstream-jwks',
        path.join(dir, 'central-jwks.json'),
        '--upstream-manifest',
        f.upstreamManifest,
        '--upstream-entries',
        f.upstreamEntries,
      ]);
    };
    const accepted = await verify();
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(
      /built from upstream version 2, signed by a pinned upstream key: 2 upstream entries all in it, 1 national/,
    );

    // One byte of the upstream manifest's signature.
    const altered = path.join(dir, 'u-altered.jws');
    const last = upstreamManifest.length - 3;
    await writeFile(
      altered,
      upstreamManifest.slice(0, last) + (upstreamManifest[last] === 'A' ? 'B' : 'A') + upstreamManifest.slice(last + 1),
    );
    const badManifest = await verify({ upstreamManifest: altered });
    expect(badManifest.code).toBe(4);
    expect(badManifest.stderr).toMatch(/refused \(bad_signature\)/);
    // An entry of the upstream version.
    const alteredEntries = path.join(dir, 'u-altered.txt');
    await writeFile(alteredEntries, upstreamEntries.replace('zz-up-one.com', 'zz-up-onf.com'));
    const badEntries = await verify({ upstreamEntries: alteredEntries });
    expect(badEntries.code).toBe(4);
    expect(badEntries.stderr).toMatch(/refused \(digest_mismatch\)/);
    // An upstream manifest other than the one the national version names.
    await writeFile(path.join(dir, 'u1.jws'), await text(central, '/v1/list/1/manifest', centralActors.isp));
    const other = await verify({ upstreamManifest: path.join(dir, 'u1.jws') });
    expect(other.code).toBe(4);
    expect(other.stderr).toMatch(/refused \(upstream_mismatch\)/);
    // A national entry relabelled: the national signature over the json no longer holds.
    const relabelled = path.join(dir, 'n-altered.json');
    await writeFile(relabelled, (await readFile(files.json, 'utf8')).replace('"national"', '"upstream"'));
    const badJson = await verify({ json: relabelled });
    expect(badJson.code).toBe(4);
    expect(badJson.stderr).toMatch(/refused \(digest_mismatch\)/);
  });

  describe('refusals leave the national list unchanged and record the reason', () => {
    let before: { upstream: number | null; national: number; served: string };
    const snapshotOfState = async () => ({
      upstream: (await upstreamStatus()).version,
      national: (await nationalLatest()).version,
      served: (await listed(national, nationalActors)).join(','),
    });

    beforeAll(async () => {
      // A new central version the refusals below try to bring in.
      await report(central, centralActors, 'http://zz-up-four.com/a');
      expect((await build(central, centralActors)).version).toBe(3);
      before = await snapshotOfState();
    });

    const refusedWith = async (deps: Deps, reason: string) => {
      const outcome = await syncUpstream(deps);
      expect(outcome).toMatchObject({ ok: false, reason });
      await build(national, nationalActors);
      expect(await snapshotOfState()).toEqual(before);
      expect((await upstreamStatus()).lastError?.reason).toBe(reason);
    };

    it('refuses a proxy that alters one byte of the entries or of the manifest', async () => {
      const entries = await serveUpstream(
        forwardTo(centralUrl, (p, body) =>
          p.startsWith('/v1/list/changes') ? body.replace('zz-up-four.com', 'zz-up-fovr.com') : body,
        ),
      );
      closers.push(entries.close);
      await refusedWith(via(entries.url), 'digest_mismatch');

      const signature = await serveUpstream(
        forwardTo(centralUrl, (p, body) => {
          if (!p.startsWith('/v1/list/changes')) return body;
          const changes = JSON.parse(body) as { manifest: string };
          const i = changes.manifest.length - 5;
          const flipped = changes.manifest[i] === 'A' ? 'B' : 'A';
          return JSON.stringify({
            ...changes,
            manifest: changes.manifest.slice(0, i) + flipped + changes.manifest.slice(i + 1),
          });
        }),
      );
      closers.push(signature.close);
      await refusedWith(via(signature.url), 'bad_signature');
    });

    it('records a 5xx from the upstream as such', async () => {
      const failing = await serveUpstream(async () => ({ status: 503, body: '{"title":"Service Unavailable"}' }));
      closers.push(failing.close);
      await refusedWith(via(failing.url), 'http_5xx');
    });

    it('refuses a restored (rolled back) central service', async () => {
      // What the central service answered at version 1, as a restore from that time answers.
      const old = { timestamp: '', changes: '' };
      const restored = await serveUpstream(async (p) => {
        if (p === '/v1/list/timestamp') return { status: 200, body: old.timestamp, type: 'application/jose' };
        return { status: 200, body: old.changes, type: 'application/json' };
      });
      closers.push(restored.close);
      // A signed timestamp naming version 1, as central signed it then.
      const key = await activeSigningKey(central.deps);
      const v1 = await text(central, '/v1/list/1/manifest', centralActors.isp);
      old.timestamp = await signCompact(buildTimestamp(1, sha256Hex(v1), central.now(), 86_400), key, TIMESTAMP_TYP);
      old.changes = JSON.stringify({
        reset: true,
        fromVersion: null,
        toVersion: 1,
        added: ['zz-up-one.com'],
        removed: [],
        manifest: v1,
      });
      await refusedWith(via(restored.url), 'rollback');
    });

    it('refuses a forked chain signed by the pinned key', async () => {
      const key = await activeSigningKey(central.deps);
      const accepted = await upstreamStatus();
      const keys = ['zz-fork.com'];
      const txt = `${keys.join('\n')}\n`;
      const digest = { sha256: sha256Hex(txt), bytes: txt.length };
      const forged = await signCompact(
        buildManifest({
          version: accepted.version! + 1,
          issuedAt: central.now(),
          ttlSeconds: 86_400,
          criteria: { version: 1, sha256: '0'.repeat(64) },
          // Chained to a version the national instance never accepted.
          previous: { version: accepted.version!, manifestSha256: 'f'.repeat(64) },
          entryCount: keys.length,
          artifacts: { txt: digest } as never,
        }),
        key,
        MANIFEST_TYP,
      );
      const timestamp = await signCompact(
        buildTimestamp(accepted.version! + 1, sha256Hex(forged), central.now(), 86_400),
        key,
        TIMESTAMP_TYP,
      );
      const fork = await serveUpstream(async (p) =>
        p === '/v1/list/timestamp'
          ? { status: 200, body: timestamp }
          : {
              status: 200,
              body: JSON.stringify({
                reset: false,
                fromVersion: accepted.version,
                toVersion: accepted.version! + 1,
                added: keys,
                removed: [],
                manifest: forged,
              }),
            },
      );
      closers.push(fork.close);
      await refusedWith(via(fork.url), 'fork');
    });

    it('refuses a central key that is not pinned', async () => {
      const other = await createTestContext();
      closers.push(other.close);
      const jwksFile = path.join(dir, 'other-jwks.json');
      await writeFile(jwksFile, await (await other.call('GET', '/.well-known/jwks.json')).text());
      const { WOL_UPSTREAM_JWKS } = loadConfig({
        WOL_UPSTREAM_URL: centralUrl,
        WOL_UPSTREAM_TOKEN: centralActors.ncb,
        WOL_UPSTREAM_JWKS: jwksFile,
      });
      await refusedWith(via(centralUrl, { WOL_UPSTREAM_JWKS }), 'unknown_key');
    });

    it('keeps serving when the upstream is unreachable, and the staleness figures rise', async () => {
      const metrics = createPrometheusMetrics(national.deps);
      const deps = { ...via('http://127.0.0.1:9'), metrics };
      national.setNow(new Date(national.now().getTime() + 3 * 3600_000));
      await refusedWith(deps, 'unreachable');
      const status = await upstreamStatus();
      expect(status.stale).toBe(true);
      const pulled = await ispPull();
      expect(pulled.code, pulled.stderr).toBe(0);
      const figures = await parsePrometheus((await metrics.render()).body);
      expect(value(figures, 'worstof_upstream_version')).toBe(2);
      expect(value(figures, 'worstof_upstream_seconds_since_sync')).toBeGreaterThanOrEqual(3 * 3600);
      expect(value(figures, 'worstof_upstream_sync_failures_total', { reason: 'unreachable' })).toBe(1);
    });

    it('takes the version once the real upstream answers again', async () => {
      expect(await syncUpstream(national.deps)).toMatchObject({ ok: true, changed: true, version: 3 });
      await build(national, nationalActors);
      expect(await listed(national, nationalActors)).toContain('zz-up-four.com');
    });
  });

  it('signs the national timestamp with an exp no later than the upstream one plus the grace', async () => {
    await build(national, nationalActors);
    const ours = payloadOf(await text(national, '/v1/list/timestamp', nationalActors.isp)) as {
      exp: number;
      iat: number;
    };
    const theirs = payloadOf(await text(central, '/v1/list/timestamp', centralActors.isp)) as { exp: number };
    const status = await upstreamStatus();
    // WOL_TIMESTAMP_TTL is 30d here: the grace (2d) past the upstream's exp is what bounds it.
    expect(ours.exp).toBe(Math.floor(new Date(status.timestampExpiresAt!).getTime() / 1000) + 2 * 86_400);
    expect(ours.exp).toBeLessThanOrEqual(theirs.exp + 2 * 86_400);
    expect(ours.exp - ours.iat).toBeLessThan(30 * 86_400);
  });

  it("shows the central operator each NCB's last synced version, in the API and the console", async () => {
    const { version } = await upstreamStatus();
    const status = await ok<{
      latestVersion: number;
      items: { name: string; country: string; lastPulledVersion: number | null; versionsBehind: number | null }[];
    }>(central.call('GET', '/v1/ncbs', { token: centralActors.admin }));
    expect(status.items).toEqual([
      expect.objectContaining({ name: 'ZZ NCB', country: 'SE', lastPulledVersion: version, versionsBehind: 0 }),
    ]);
    expect((await central.call('GET', '/v1/ncbs', { token: centralActors.ncb })).status).toBe(403);
    const console = new ConsoleClient(central);
    expect((await console.signIn(centralActors.admin)).status).toBe(303);
    const page = await console.get('/console/ncbs');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(new RegExp(`<td>ZZ NCB</td>\\s*<td>SE</td>[\\s\\S]*?v${version}`));
    expect(page.html).toContain('href="/console/ncbs"');
  });

  it('starts a sync within seconds of the central webhook notification, and refuses one that does not verify', async () => {
    const bad = await fetch(`${nationalUrl}/v1/upstream/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: 'eyJhbGciOiJub25lIn0.eyJ2ZXJzaW9uIjo5fQ.',
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    const before = await upstreamStatus();

    await ok(
      central.call('POST', '/v1/webhooks', {
        token: centralActors.ncb,
        body: { url: `${nationalUrl}/v1/upstream/notify` },
      }),
      201,
    );
    await report(central, centralActors, 'http://zz-up-five.com/a');
    const started = Date.now();
    const { version } = await build(central, centralActors);
    expect(before.version).toBe(version - 1);
    for (;;) {
      if ((await upstreamStatus()).version === version) break;
      if (Date.now() - started > 5000) throw new Error('no sync within 5 s of the notification');
      await new Promise((r) => setTimeout(r, 50));
    }
    // A replay of a notification for a version stored already starts nothing.
    const replayed = await signCompact(
      buildNotification(version, (await upstreamStatus()).manifestSha256!, central.now()),
      await activeSigningKey(central.deps),
      NOTIFICATION_TYP,
    );
    const replay = await fetch(`${nationalUrl}/v1/upstream/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: replayed,
    });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ version, sync: 'current' });
  });

  it('runs one sync at a time, and a burst of requests for one is one more sync', async () => {
    let timestamps = 0;
    const counting = await serveUpstream(
      forwardTo(centralUrl, (p, body) => {
        if (p === '/v1/list/timestamp') timestamps++;
        return body;
      }),
    );
    closers.push(counting.close);
    const deps = via(counting.url);
    // Requests before the first has started join it; those while it runs are one sync after it.
    const first = Array.from({ length: 3 }, () => syncUpstream(deps));
    while (timestamps === 0) await new Promise((r) => setTimeout(r, 1));
    const during = Array.from({ length: 5 }, () => syncUpstream(deps));
    const outcomes = await Promise.all([...first, ...during]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(timestamps).toBe(2);
  });
});
