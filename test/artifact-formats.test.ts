/**
 * The firewall, proxy and filter formats are artifacts like the others: signed in the
 * manifest, ETag/304, gzip, immutable by version. A version built before they existed (its
 * manifest lacks them) is followed by a new version at the next build, and manifests with
 * fewer or more formats than this code knows still verify.
 */

import { gunzipSync } from 'node:zlib';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formats } from '../src/core/formats.ts';
import { signCompact } from '../src/core/signing.ts';
import { sha256Hex } from '../src/core/tokens.ts';
import { verifyManifest } from '../src/core/verify.ts';
import { artifacts, snapshots } from '../src/db/schema.ts';
import { activeSigningKey } from '../src/services/keys.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';
import { payloadOf } from './support/jws.ts';

const added = ['edl', 'fortigate', 'squid', 'dnsmasq', 'adblock'] as const;

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  await report(ctx, a, 'http://img.zz-fw-one.com/a');
  await report(ctx, a, 'http://195.127.0.13/b');
  await build(ctx, a);
});
afterAll(() => ctx.close());

const get = (url: string, headers: Record<string, string> = {}) => ctx.call('GET', url, { token: a.isp, headers });
const jwks = () => ok<{ keys: never[] }>(ctx.call('GET', '/.well-known/jwks.json'));

describe(`firewall, proxy and filter artifacts on ${databaseName}`, () => {
  it('signs each in the manifest and serves it with ETag, 304, gzip and an immutable versioned URL', async () => {
    const manifestText = await get('/v1/list/manifest').then((r) => r.text());
    const manifest = await verifyManifest(manifestText, await jwks(), ctx.now());
    expect(Object.keys(manifest.artifacts)).toEqual([...formats]);
    for (const format of added) {
      const res = await get(`/v1/list/latest.${format}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(res.headers.get('content-type'), format).toBe('text/plain; charset=utf-8');
      expect(sha256Hex(bytes), format).toBe(manifest.artifacts[format]?.sha256);
      expect(bytes.length, format).toBe(manifest.artifacts[format]?.bytes);
      expect(new TextDecoder().decode(bytes), format).toContain('zz-fw-one.com');
      expect(new TextDecoder().decode(bytes), format).not.toContain('195.127.0.13');
      const etag = res.headers.get('etag')!;
      expect((await get(`/v1/list/latest.${format}`, { 'if-none-match': etag })).status, format).toBe(304);
      const zipped = await get(`/v1/list/latest.${format}`, { 'accept-encoding': 'gzip' });
      expect(zipped.headers.get('content-encoding'), format).toBe('gzip');
      expect(new Uint8Array(gunzipSync(new Uint8Array(await zipped.arrayBuffer()))), format).toEqual(bytes);
      const versioned = await get(`/v1/list/1.${format}`);
      expect(versioned.headers.get('cache-control'), format).toBe('private, max-age=31536000, immutable');
      expect(new Uint8Array(await versioned.arrayBuffer()), format).toEqual(bytes);
    }
  });

  it('publishes a new version with the same entries when the latest was built before a format existed', async () => {
    // Make version 1 what an older release left: a manifest without the new formats, and no artifacts for them.
    const [v1] = await ctx.deps.db.select().from(snapshots).where(eq(snapshots.version, 1));
    const payload = payloadOf(v1!.manifest) as { artifacts: Record<string, unknown> };
    for (const format of added) delete payload.artifacts[format];
    const old = await signCompact(payload, await activeSigningKey(ctx.deps), 'wol-manifest+jws');
    await ctx.deps.db
      .update(snapshots)
      .set({ manifest: old, manifestSha256: sha256Hex(old) })
      .where(eq(snapshots.version, 1));
    await ctx.deps.db.delete(artifacts).where(inArray(artifacts.format, [...added]));
    ctx.deps.pullCache.forgetLatest();
    expect((await get('/v1/list/latest.edl')).status).toBe(410);
    // The older manifest still verifies: a closed list of formats would refuse it.
    expect((await verifyManifest(old, await jwks(), ctx.now())).version).toBe(1);

    const next = await build(ctx, a);
    expect(next).toMatchObject({ version: 2, changed: true, added: 0, removed: 0, entryCount: 2 });
    const edl = await get('/v1/list/latest.edl');
    expect(edl.status).toBe(200);
    expect(edl.headers.get('x-list-version')).toBe('2');
    const manifest = await verifyManifest(
      await get('/v1/list/manifest').then((r) => r.text()),
      await jwks(),
      ctx.now(),
    );
    expect(manifest.previous).toEqual({ version: 1, manifestSha256: sha256Hex(old) });
    expect(Object.keys(manifest.artifacts)).toEqual([...formats]);
    // Nothing else changed: the next build publishes nothing.
    expect(await build(ctx, a)).toMatchObject({ version: 2, changed: false });
  });

  it('verifies a manifest that lists a format this code does not know', async () => {
    const payload = payloadOf(await get('/v1/list/manifest').then((r) => r.text())) as {
      artifacts: Record<string, unknown>;
    };
    payload.artifacts.future = { sha256: 'a'.repeat(64), bytes: 1 };
    const newer = await signCompact(payload, await activeSigningKey(ctx.deps), 'wol-manifest+jws');
    const manifest = await verifyManifest(newer, await jwks(), ctx.now());
    expect(manifest.artifacts.future).toEqual({ sha256: 'a'.repeat(64), bytes: 1 });
  });
});
