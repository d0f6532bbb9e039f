import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyChanges } from '../src/core/diff.ts';
import { formats } from '../src/core/formats.ts';
import { generateSigningKey, signCompact } from '../src/core/signing.ts';
import { sha256Hex } from '../src/core/tokens.ts';
import { verifyManifest } from '../src/core/verify.ts';
import { activeSigningKey, rotateSigningKey } from '../src/services/keys.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed, report } from './support/evidence.ts';
import { hs256WithPublicKey, payloadOf, unsignedToken } from './support/jws.ts';
import { hasBinaries, startUnbound } from './support/resolver.ts';
import { worstof } from './support/server.ts';

let ctx: TestContext;
let a: Actors;
let dir: string;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  dir = await mkdtemp(path.join(tmpdir(), 'wol-pull-'));
  await report(ctx, a, 'http://img.zz-dist-one.com/a');
  await report(ctx, a, 'http://zz-dist-two.net/b');
  await report(ctx, a, 'http://195.127.0.11/c');
  await build(ctx, a);
});
afterAll(async () => {
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
});

const jwks = () => ok<{ keys: { kid: string; x: string; d?: string }[] }>(ctx.call('GET', '/.well-known/jwks.json'));
const manifestText = () => ctx.call('GET', '/v1/list/manifest', { token: a.isp }).then((r) => r.text());

/**
 * Serves the app on loopback through a man in the middle that can rewrite what a client
 * receives: the refusal tests make it serve what an attacker would.
 */
async function proxy(rewrite: (path: string, res: Response) => Promise<Response> | Response = (_, r) => r) {
  const front = new Hono();
  front.all('*', async (c) =>
    rewrite(c.req.path, await ctx.app.request(c.req.raw.url.replace(/^https?:\/\/[^/]+/, ''), c.req.raw)),
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: front.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe(`signed distribution on ${databaseName}`, () => {
  it('publishes public keys only', async () => {
    const set = await jwks();
    expect(set.keys.length).toBeGreaterThan(0);
    for (const key of set.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key.d).toBeUndefined();
    }
  });

  it('serves every format, each matching the signed manifest', async () => {
    const manifest = await verifyManifest(await manifestText(), (await jwks()) as never, ctx.now());
    expect(manifest).toMatchObject({ list: 'worst-of', version: 1, entries: { count: 3 }, previous: null });
    expect(manifest.exp - manifest.iat).toBe(7 * 86400);
    for (const format of formats) {
      const res = await ctx.call('GET', `/v1/list/latest.${format}`, { token: a.isp });
      expect(res.status, format).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const signed = manifest.artifacts[format];
      expect(signed, `the manifest lists ${format}`).toBeDefined();
      expect(sha256Hex(bytes), format).toBe(signed?.sha256);
      expect(res.headers.get('etag')).toBe(`"${signed?.sha256}"`);
      expect(res.headers.get('content-digest')).toBe(
        `sha-256=:${Buffer.from(signed?.sha256 ?? '', 'hex').toString('base64')}:`,
      );
      expect(res.headers.get('x-list-version')).toBe('1');
    }
    expect(await listed(ctx, a)).toEqual(['195.127.0.11', 'zz-dist-one.com', 'zz-dist-two.net']);
    expect(manifest.entries.sha256).toBe(manifest.artifacts.txt.sha256);
  });

  it('answers 304 for an unchanged ETag and gzip when asked', async () => {
    const first = await ctx.call('GET', '/v1/list/latest.rpz', { token: a.isp });
    const etag = first.headers.get('etag')!;
    const again = await ctx.call('GET', '/v1/list/latest.rpz', { token: a.isp, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    const zipped = await ctx.call('GET', '/v1/list/latest.rpz', {
      token: a.isp,
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const raw = new Uint8Array(await zipped.arrayBuffer());
    expect(zipped.headers.get('content-digest')).toBe(
      `sha-256=:${Buffer.from(sha256Hex(raw), 'hex').toString('base64')}:`,
    );
    expect(new Uint8Array(gunzipSync(raw))).toEqual(new Uint8Array(await first.arrayBuffer()));
    const zipped304 = await ctx.call('GET', '/v1/list/latest.rpz', {
      token: a.isp,
      headers: { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.get('etag')! },
    });
    expect(zipped304.status).toBe(304);
    const versioned = await ctx.call('GET', '/v1/list/1.txt', { token: a.isp });
    expect(versioned.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect((await ctx.call('GET', '/v1/list/99.txt', { token: a.isp })).status).toBe(404);
    expect((await ctx.call('GET', '/v1/list/latest.exe', { token: a.isp })).status).toBe(404);
  });

  it('chains versions and serves changes that rebuild the next version byte for byte', async () => {
    const v1 = (await ctx.call('GET', '/v1/list/1.txt', { token: a.isp }).then((r) => r.text()))
      .split('\n')
      .filter(Boolean);
    await report(ctx, a, 'http://zz-dist-three.org/');
    await ok(
      ctx.call('POST', '/v1/domains/zz-dist-two.net/exclusion', { token: a.analyst, body: { reason: 'test removal' } }),
    );
    const v2 = await build(ctx, a);
    expect(v2).toMatchObject({ version: 2, added: 1, removed: 1 });
    const changes = await ok<{
      fromVersion: number;
      toVersion: number;
      added: string[];
      removed: string[];
      manifest: string;
      reset: boolean;
    }>(ctx.call('GET', '/v1/list/changes?since=1', { token: a.isp }));
    expect(changes).toMatchObject({
      reset: false,
      fromVersion: 1,
      toVersion: 2,
      added: ['zz-dist-three.org'],
      removed: ['zz-dist-two.net'],
    });
    const rebuilt = applyChanges(v1, changes.added, changes.removed);
    const bytes = new TextEncoder().encode(rebuilt.map((k) => `${k}\n`).join(''));
    const manifest = await verifyManifest(changes.manifest, (await jwks()) as never, ctx.now());
    expect(sha256Hex(bytes)).toBe(manifest.artifacts.txt.sha256);
    expect(manifest.previous).toEqual({
      version: 1,
      manifestSha256: sha256Hex(
        (await ctx.call('GET', '/v1/list/1/manifest', { token: a.isp }).then((r) => r.text())).trim(),
      ),
    });
    const reset = await ok<{ reset: boolean; added: string[] }>(
      ctx.call('GET', '/v1/list/changes?since=0', { token: a.isp }),
    );
    expect(reset.reset).toBe(true);
    expect(reset.added).toEqual(rebuilt);
    expect((await ctx.call('GET', '/v1/list/changes?since=9', { token: a.isp })).status).toBe(409);
  });

  it('names `since` when a changes request lacks it or it is not a number', async () => {
    for (const query of ['', '?since=latest', '?other=1']) {
      const res = await ctx.call('GET', `/v1/list/changes${query}`, { token: a.isp });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { detail: string; errors: { field: string; message: string }[] };
      expect(body.errors, query).toEqual([
        { field: 'since', message: 'required: the list version you have, a whole number' },
      ]);
      expect(body.detail).toMatch(/^since: required/);
    }
  });

  const havePythonCryptography =
    spawnSync('/usr/bin/python3', ['-c', 'import cryptography.hazmat.primitives.asymmetric.ed25519']).status === 0;
  if (!havePythonCryptography)
    console.log('distribution: the non-jose Ed25519 check is skipped, python3-cryptography is missing');
  it.skipIf(!havePythonCryptography)('verifies with an Ed25519 implementation other than jose', async () => {
    const manifest = await manifestText();
    const key = (await jwks()).keys.find(
      (k) => k.kid === JSON.parse(Buffer.from(manifest.split('.')[0]!, 'base64url').toString()).kid,
    )!;
    const script = `
import base64, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
d = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
h, p, s = sys.argv[1].strip().split(".")
Ed25519PublicKey.from_public_bytes(d(sys.argv[2])).verify(d(s), f"{h}.{p}".encode())
print("verified")`;
    expect(execFileSync('/usr/bin/python3', ['-c', script, manifest, key.x], { encoding: 'utf8' }).trim()).toBe(
      'verified',
    );
  });

  it('pulls with worstof pull, verifies and installs atomically, then records the pull', async () => {
    const server = await proxy();
    try {
      const out = path.join(dir, 'list.rpz');
      const run = await worstof(['pull', '--server', server.url, '--token', a.isp, '--format', 'rpz', '--out', out]);
      expect(run.stderr).toContain('version 2');
      expect(run.code).toBe(0);
      const manifest = payloadOf(await manifestText()) as { artifacts: { rpz: { sha256: string } } };
      expect(sha256Hex(await readFile(out))).toBe(manifest.artifacts.rpz.sha256);
      expect(JSON.parse(await readFile(`${out}.state.json`, 'utf8'))).toMatchObject({ version: 2 });
      const unchanged = await worstof([
        'pull',
        '--server',
        server.url,
        '--token',
        a.isp,
        '--format',
        'rpz',
        '--out',
        out,
        '--exec',
        'echo reloaded',
      ]);
      expect(unchanged.stderr).toContain('is current');
      expect(unchanged.stdout).not.toContain('reloaded');

      const status = await ok<{
        latestVersion: number;
        items: { name: string; lastPulledVersion: number; versionsBehind: number }[];
      }>(ctx.call('GET', '/v1/ncb/isps', { token: a.ncb }));
      expect(status.latestVersion).toBe(2);
      expect(
        status.items.find((i) => i.name === 'ZZ ISP'),
        JSON.stringify(status),
      ).toMatchObject({ lastPulledVersion: 2, versionsBehind: 0 });
    } finally {
      await server.close();
    }
  });

  it.skipIf(!hasBinaries('unbound', 'dig'))('blocks in a real resolver with the RPZ it pulled', async () => {
    const out = path.join(dir, 'list.rpz');
    const zoneDir = await mkdtemp(path.join(dir, 'unbound-'));
    // Every test name resolves in the resolver's own root zone: an NXDOMAIN can only come from the RPZ.
    const names = ['ok.zz-clean.com.', 'zz-dist-two.net.', 'zz-dist-three.org.', 'www.img.zz-dist-one.com.'].map(
      (name, i) => `${name} A 192.0.2.${10 + i}`,
    );
    const resolver = await startUnbound(
      zoneDir,
      names,
      ['module-config: "respip iterator"'],
      ['rpz:', '  name: "rpz.worstof."', `  zonefile: "${out}"`],
    );
    try {
      expect(resolver.query('zz-dist-three.org').status).toBe('NXDOMAIN');
      expect(resolver.query('www.img.zz-dist-one.com').status).toBe('NXDOMAIN');
      expect(resolver.query('zz-dist-two.net').answers).toEqual(['A 192.0.2.11']); // excluded in version 2
      expect(resolver.query('ok.zz-clean.com').answers).toEqual(['A 192.0.2.10']);
    } finally {
      await resolver.stop();
    }
  });

  describe('the client refuses and leaves the output untouched', () => {
    const attacks: [string, (path: string, res: Response) => Promise<Response> | Response][] = [
      [
        'a tampered artifact',
        async (p, res) =>
          /\/v1\/list\/\d+\.txt$/.test(p) ? new Response(`${await res.text()}zz-innocent.example\n`) : res,
      ],
      [
        'a manifest signed by an unknown key',
        async (p, res) => {
          if (p !== '/v1/list/manifest') return res;
          const rogue = await generateSigningKey();
          return new Response(await signCompact(payloadOf(await res.text()), rogue, 'wol-manifest+jws'));
        },
      ],
      [
        'alg: none',
        async (p, res) => {
          if (p !== '/v1/list/manifest') return res;
          const text = await res.text();
          return new Response(
            unsignedToken(payloadOf(text), JSON.parse(Buffer.from(text.split('.')[0]!, 'base64url').toString()).kid),
          );
        },
      ],
      [
        'an HS256 token keyed with the public key',
        async (p, res) => {
          if (p !== '/v1/list/manifest') return res;
          const key = (await jwks()).keys[0]!;
          return new Response(hs256WithPublicKey(payloadOf(await res.text()), key.kid, key.x));
        },
      ],
    ];

    it.each(attacks)('%s', async (_name, rewrite) => {
      const out = path.join(dir, `refuse-${_name.replace(/\W+/g, '-')}.txt`);
      await writeFile(out, 'previous list\n');
      const before = await stat(out);
      const server = await proxy(rewrite);
      try {
        const run = await worstof(['pull', '--server', server.url, '--token', a.isp, '--out', out]);
        expect(run.code, run.stderr).toBe(4);
        expect(run.stderr).toContain('refused');
      } finally {
        await server.close();
      }
      expect(await readFile(out, 'utf8')).toBe('previous list\n');
      expect((await stat(out)).mtimeMs).toBe(before.mtimeMs);
    });

    it('an expired manifest, even one signed with the real key', async () => {
      const out = path.join(dir, 'expired.txt');
      await writeFile(out, 'previous list\n');
      const key = await activeSigningKey(ctx.deps);
      const server = await proxy(async (p, res) => {
        if (p !== '/v1/list/manifest') return res;
        const payload = payloadOf(await res.text());
        return new Response(
          await signCompact({ ...payload, exp: Math.floor(Date.now() / 1000) - 60 }, key, 'wol-manifest+jws'),
        );
      });
      try {
        const run = await worstof(['pull', '--server', server.url, '--token', a.isp, '--out', out]);
        expect(run.code).toBe(4);
        expect(run.stderr).toContain('expired');
      } finally {
        await server.close();
      }
      expect(await readFile(out, 'utf8')).toBe('previous list\n');
    });

    it('a rollback to an older version', async () => {
      const out = path.join(dir, 'rollback.txt');
      const server = await proxy();
      await worstof(['pull', '--server', server.url, '--token', a.isp, '--out', out]);
      await server.close();
      const accepted = await readFile(out, 'utf8');
      const old = await ctx.call('GET', '/v1/list/1/manifest', { token: a.isp }).then((r) => r.text());
      const replay = await proxy((p, res) => (p === '/v1/list/manifest' ? new Response(old) : res));
      try {
        const run = await worstof(['pull', '--server', replay.url, '--token', a.isp, '--out', out]);
        expect(run.code).toBe(4);
        expect(run.stderr).toContain('rollback');
      } finally {
        await replay.close();
      }
      expect(await readFile(out, 'utf8')).toBe(accepted);
    });
  });

  it('keeps old manifests verifiable across a key rotation, until they expire', async () => {
    const oldManifest = await ctx.call('GET', '/v1/list/2/manifest', { token: a.isp }).then((r) => r.text());
    const oldKid = JSON.parse(Buffer.from(oldManifest.split('.')[0]!, 'base64url').toString()).kid;
    const { kid } = await rotateSigningKey(ctx.deps);
    await report(ctx, a, 'http://zz-after-rotation.com/');
    await build(ctx, a);
    const newManifest = await manifestText();
    expect(JSON.parse(Buffer.from(newManifest.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    const set = await jwks();
    expect(set.keys.map((k) => k.kid).sort()).toEqual([kid, oldKid].sort());
    await verifyManifest(oldManifest, set as never, ctx.now());
    await verifyManifest(newManifest, set as never, ctx.now());
    // Once every manifest the old key signed has expired, it leaves the key set.
    ctx.setNow(new Date(ctx.now().getTime() + 8 * 86_400_000));
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([kid]);
  });

  it('verifies offline with worstof verify', async () => {
    const manifestFile = path.join(dir, 'manifest.jws');
    const jwksFile = path.join(dir, 'jwks.json');
    const artifact = path.join(dir, 'offline.txt');
    await writeFile(manifestFile, await manifestText());
    await writeFile(jwksFile, JSON.stringify(await jwks()));
    await writeFile(artifact, await ctx.call('GET', '/v1/list/latest.txt', { token: a.isp }).then((r) => r.text()));
    const good = await worstof(['verify', '--manifest', manifestFile, '--jwks', jwksFile, '--artifact', artifact]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('verifies');
    await writeFile(artifact, 'zz-tampered.example\n');
    const bad = await worstof(['verify', '--manifest', manifestFile, '--jwks', jwksFile, '--artifact', artifact]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('digest_mismatch');
  });
});
