/**
 * The TAXII 2.1 collection through real HTTP requests against the app on a real database:
 * every endpoint's required fields and media types, STIX 2.1 rules for every object served,
 * paging that neither skips nor repeats while builds change the list, added_after polling,
 * revocations and re-listings, errors as TAXII error messages, pulls recorded.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/database.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, report } from './support/evidence.ts';
import { listen } from './support/server.ts';
import { MILLIS, stixProblems } from './support/stix-rules.ts';

const TAXII = 'application/taxii+json;version=2.1';
const STIX = 'application/stix+json;version=2.1';
const ROOT = '/taxii2/worstof';
const COLLECTION = '3ea4137e-4f59-50e8-869f-8a30f63deb23';
const OBJECTS = `${ROOT}/collections/${COLLECTION}/objects/`;
const MANIFEST = `${ROOT}/collections/${COLLECTION}/manifest/`;
const IDENTITY = 'identity--a8c7fd5a-d173-5923-a4fc-c5f5ad13f3af';

type StixObject = Record<string, unknown> & { id: string; type: string; modified: string };
interface Envelope {
  more?: boolean;
  next?: string;
  objects?: StixObject[];
}

let ctx: TestContext;
let a: Actors;

const get = (path: string, options: { token?: string; accept?: string; headers?: Record<string, string> } = {}) =>
  ctx.call('GET', path, {
    token: options.token ?? a.isp,
    headers: { accept: options.accept ?? TAXII, ...options.headers },
  });

async function taxii<T>(path: string, options: { token?: string } = {}): Promise<{ body: T; res: Response }> {
  const res = await get(path, options);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  expect(res.headers.get('content-type')).toBe(TAXII);
  expect(res.headers.get('cache-control')).toMatch(/^private\b/);
  return { body: JSON.parse(text) as T, res };
}

const query = (params: Record<string, string | number>) =>
  `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;

/** Every object version of a query, following next; checks each page's envelope and headers. */
async function allPages(path: string, params: Record<string, string | number> = {}, between?: () => Promise<void>) {
  const objects: StixObject[] = [];
  let next: string | undefined;
  for (let page = 0; page < 100; page++) {
    const { body, res } = await taxii<Envelope>(`${path}${query({ ...params, ...(next ? { next } : {}) })}`);
    const items = body.objects ?? [];
    if (items.length) {
      expect(res.headers.get('x-taxii-date-added-first')).toMatch(MILLIS);
      expect(res.headers.get('x-taxii-date-added-last')).toMatch(MILLIS);
    } else expect(body.objects).toBeUndefined();
    objects.push(...items);
    if (!body.more) {
      expect(body.next).toBeUndefined();
      return objects;
    }
    expect(body.next).toEqual(expect.any(String));
    next = body.next;
    await between?.();
  }
  throw new Error('more than 100 pages');
}

const later = async (seconds: number) => ctx.setNow(new Date(ctx.now().getTime() + seconds * 1000));
const versionKey = (o: StixObject) => `${o.id} ${o.modified}`;
const byKey = (objects: StixObject[], key: string) => objects.filter((o) => o.name === key);

async function exclude(key: string) {
  await ok(ctx.call('POST', `/v1/domains/${key}/exclusion`, { token: a.analyst, body: { reason: 'test' } }));
}
async function restore(key: string) {
  await ok(ctx.call('DELETE', `/v1/domains/${key}/exclusion`, { token: a.analyst, body: { reason: 'test' } }));
}

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  for (const key of ['zz-taxii-a.com', 'zz-taxii-b.com', 'zz-taxii-c.com', 'zz-taxii-d.com'])
    await report(ctx, a, `http://www.${key}/x`);
  await report(ctx, a, 'http://9.9.9.9/x');
  await build(ctx, a);
  await later(60);
});
afterAll(() => ctx.close());

describe(`TAXII 2.1 on ${databaseName}`, () => {
  const endpoints = () => [
    '/taxii2/',
    `${ROOT}/`,
    `${ROOT}/collections/`,
    `${ROOT}/collections/${COLLECTION}/`,
    OBJECTS,
    MANIFEST,
    `${OBJECTS}${IDENTITY}/`,
    `${OBJECTS}${IDENTITY}/versions/`,
  ];

  it('serves nothing without a pulling key, and answers errors as TAXII error messages', async () => {
    for (const path of endpoints()) {
      const none = await ctx.call('GET', path, { headers: { accept: TAXII } });
      expect(none.status, path).toBe(401);
      expect(none.headers.get('content-type')).toBe(TAXII);
      expect(none.headers.get('www-authenticate')).toMatch(/Bearer realm="worstof"/);
      const error = (await none.json()) as Record<string, unknown>;
      expect(error).toMatchObject({ title: 'Unauthorized', http_status: '401', error_code: 'unauthorized' });
      expect(error.description).toEqual(expect.any(String));
      expect(JSON.stringify(error)).not.toContain('zz-taxii');
      for (const token of [a.reporterA, a.analyst]) {
        const refused = await get(path, { token });
        expect(refused.status, path).toBe(403);
        expect(await refused.json()).toMatchObject({ title: 'Forbidden', http_status: '403' });
      }
      for (const token of [a.isp, a.ncb, a.admin]) expect((await get(path, { token })).status, path).toBe(200);
      // Basic with the key as the password (what OpenCTI's "Basic user" sends), any user name.
      const basic = (password: string) => ({ authorization: `Basic ${btoa(`opencti:${password}`)}`, accept: TAXII });
      expect((await ctx.call('GET', path, { headers: basic(a.ncb) })).status, path).toBe(200);
      const badBasic = await ctx.call('GET', path, { headers: basic('wol_isp_nope') });
      expect(badBasic.status, path).toBe(401);
      expect(badBasic.headers.get('www-authenticate')).toMatch(/^Basic realm="worstof"/);
      expect(badBasic.headers.get('content-type')).toBe(TAXII);
    }
  });

  it('serves discovery, the API root and the one collection', async () => {
    const discovery = (await taxii<Record<string, unknown>>('/taxii2/')).body;
    expect(discovery).toEqual({
      title: 'worstof',
      description: expect.any(String),
      default: 'http://localhost/taxii2/worstof/',
      api_roots: ['http://localhost/taxii2/worstof/'],
    });
    expect((await taxii(`${ROOT}/`)).body).toEqual({
      title: 'worst-of',
      description: expect.any(String),
      versions: [TAXII],
      max_content_length: ctx.deps.config.WOL_MAX_BODY_BYTES,
    });
    const collection = {
      id: COLLECTION,
      title: 'worst-of',
      description: expect.any(String),
      can_read: true,
      can_write: false,
      media_types: [STIX],
    };
    expect((await taxii(`${ROOT}/collections/`)).body).toEqual({ collections: [collection] });
    expect((await taxii(`${ROOT}/collections/${COLLECTION}/`)).body).toEqual(collection);
  });

  it('serves one indicator per key and the producer, each keeping the STIX 2.1 rules', async () => {
    const { body, res } = await taxii<Envelope>(OBJECTS);
    expect(body.more).toBe(false);
    const objects = body.objects ?? [];
    expect(objects.flatMap(stixProblems)).toEqual([]);
    expect(objects[0]).toMatchObject({ type: 'identity', id: IDENTITY, name: 'worst-of' });
    const indicators = objects.filter((o) => o.type === 'indicator');
    expect(indicators.map((o) => o.pattern).sort()).toEqual([
      "[domain-name:value = 'zz-taxii-a.com']",
      "[domain-name:value = 'zz-taxii-b.com']",
      "[domain-name:value = 'zz-taxii-c.com']",
      "[domain-name:value = 'zz-taxii-d.com']",
      "[ipv4-addr:value = '9.9.9.9']",
    ]);
    const built = (
      await queryRows<{ at: Date | string }>(ctx.deps.db, sql`select created_at as at from snapshots where version = 1`)
    )[0]!;
    const listedAt = new Date(built.at).toISOString();
    for (const o of indicators)
      expect(o).toMatchObject({
        created_by_ref: IDENTITY,
        pattern_type: 'stix',
        indicator_types: ['malicious-activity'],
        valid_from: listedAt,
        created: listedAt,
        modified: listedAt,
        revoked: false,
      });
    expect(res.headers.get('x-taxii-date-added-first')).toBe(listedAt);
    expect(res.headers.get('x-taxii-date-added-last')).toBe(listedAt);
    // The manifest names the same object versions, with their date added and media type.
    const manifest = (await taxii<{ objects: Record<string, string>[] }>(MANIFEST)).body.objects;
    expect(manifest).toEqual(
      objects.map((o) => ({ id: o.id, date_added: listedAt, version: o.modified, media_type: STIX })),
    );
  });

  it('revokes a removed key in a new version, and lists it again as a new indicator', async () => {
    const before = (await taxii<Envelope>(OBJECTS)).res.headers.get('x-taxii-date-added-last')!;
    const [listed] = byKey((await taxii<Envelope>(OBJECTS)).body.objects ?? [], 'zz-taxii-a.com');
    await exclude('zz-taxii-a.com');
    await build(ctx, a);
    await later(60);

    // A poll from the last date added it saw receives exactly the change: the revocation.
    const changes = await allPages(OBJECTS, { added_after: before });
    expect(changes).toEqual([
      {
        ...listed,
        modified: expect.any(String),
        valid_until: expect.any(String),
        revoked: true,
      },
    ]);
    const revoked = changes[0]!;
    expect(revoked.modified > listed!.modified).toBe(true);
    expect(revoked.valid_until).toBe(revoked.modified);
    expect(stixProblems(revoked)).toEqual([]);

    // The object's versions, oldest first; the object itself is its last version by default.
    const versions = (await taxii<{ versions: string[] }>(`${OBJECTS}${listed!.id}/versions/`)).body;
    expect(versions).toEqual({ more: false, versions: [listed!.modified, revoked.modified] });
    expect((await taxii<Envelope>(`${OBJECTS}${listed!.id}/`)).body.objects).toEqual([revoked]);
    expect(
      (await taxii<Envelope>(`${OBJECTS}${listed!.id}/${query({ 'match[version]': 'first' })}`)).body.objects,
    ).toEqual([listed]);
    expect(
      (await taxii<Envelope>(`${OBJECTS}${listed!.id}/${query({ 'match[version]': 'all' })}`)).body.objects,
    ).toEqual([listed, revoked]);
    expect(
      (await taxii<Envelope>(`${OBJECTS}${listed!.id}/${query({ 'match[version]': listed!.modified })}`)).body.objects,
    ).toEqual([listed]);

    const afterRevocation = revoked.modified;
    await restore('zz-taxii-a.com');
    await build(ctx, a);
    await later(60);
    const relisted = await allPages(OBJECTS, { added_after: afterRevocation });
    expect(relisted).toHaveLength(1);
    expect(relisted[0]).toMatchObject({ name: 'zz-taxii-a.com', revoked: false, pattern: listed!.pattern });
    // STIX: a revoked object gets no later version, so the new listing is a new object.
    expect(relisted[0]!.id).not.toBe(listed!.id);
    expect(relisted[0]!.created).toBe(relisted[0]!.modified);
    expect(stixProblems(relisted[0]!)).toEqual([]);
    // All versions of the collection: the revoked object stays revoked, the new one is listed.
    const all = await allPages(OBJECTS, { 'match[version]': 'all' });
    expect(byKey(all, 'zz-taxii-a.com').map((o) => [o.id, o.revoked])).toEqual([
      [listed!.id, false],
      [listed!.id, true],
      [relisted[0]!.id, false],
    ]);
  });

  it('pages without skipping or repeating while builds add and remove entries', async () => {
    const whole = await allPages(OBJECTS);
    expect(whole.length).toBeGreaterThan(4);
    const firstDateLast = (await taxii<Envelope>(OBJECTS)).res.headers.get('x-taxii-date-added-last')!;
    let step = 0;
    const paged = await allPages(OBJECTS, { limit: 2 }, async () => {
      // Between pages: a build that removes a key not yet paged, and one that adds a key.
      if (step === 0) await exclude('zz-taxii-d.com');
      if (step === 1) await report(ctx, a, 'http://zz-taxii-e.com/x');
      if (step <= 1) {
        await build(ctx, a);
        await later(60);
      }
      step++;
    });
    expect(step).toBeGreaterThan(2);
    expect(paged.map(versionKey)).toEqual(whole.map(versionKey));
    expect(new Set(paged.map(versionKey)).size).toBe(paged.length);

    // The next poll, from the last date added the client saw, brings exactly what changed.
    const changes = await allPages(OBJECTS, { added_after: firstDateLast, limit: 1 });
    expect(changes.map((o) => [o.name, o.revoked])).toEqual([
      ['zz-taxii-d.com', true],
      ['zz-taxii-e.com', false],
    ]);
    expect(changes.flatMap(stixProblems)).toEqual([]);
    // Manifest pages the same way.
    const manifest: Record<string, string>[] = [];
    let next: string | undefined;
    do {
      const { body } = await taxii<{ more: boolean; next?: string; objects?: Record<string, string>[] }>(
        `${MANIFEST}${query({ limit: 3, ...(next ? { next } : {}) })}`,
      );
      manifest.push(...(body.objects ?? []));
      next = body.more ? body.next : undefined;
    } while (next);
    const now = await allPages(OBJECTS);
    expect(manifest.map((m) => `${m.id} ${m.version}`)).toEqual(now.map(versionKey));
    for (const m of manifest) expect(m.date_added).toMatch(MILLIS);
  });

  it('filters by type, id, version and spec version', async () => {
    const ids = async (params: Record<string, string | number>) => (await allPages(OBJECTS, params)).map((o) => o.id);
    expect(await ids({ 'match[type]': 'identity' })).toEqual([IDENTITY]);
    expect(await ids({ 'match[type]': 'malware' })).toEqual([]);
    const indicators = await allPages(OBJECTS, { 'match[type]': 'indicator' });
    expect(indicators.every((o) => o.type === 'indicator')).toBe(true);
    const [b, c] = [byKey(indicators, 'zz-taxii-b.com')[0]!, byKey(indicators, 'zz-taxii-c.com')[0]!];
    expect(await ids({ 'match[id]': `${c.id},${b.id},indicator--00000000-0000-5000-8000-000000000000` })).toEqual([
      b.id,
      c.id,
    ]);
    expect(await ids({ 'match[id]': `${IDENTITY},${b.id}`, 'match[type]': 'indicator' })).toEqual([b.id]);
    expect(await ids({ 'match[spec_version]': '2.0' })).toEqual([]);
    expect((await ids({ 'match[spec_version]': '2.1' })).length).toBe(indicators.length + 1);
    // first: every object's first version, none revoked.
    expect((await allPages(OBJECTS, { 'match[version]': 'first' })).some((o) => o.revoked)).toBe(false);
  });

  it('answers 400, 404, 406 and 416 as TAXII error messages', async () => {
    const expectError = async (path: string, status: number, options: { accept?: string } = {}) => {
      const res = await get(path, options);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type')).toBe(TAXII);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ title: expect.any(String), http_status: String(status) });
      return body;
    };
    await expectError(`${OBJECTS}${query({ added_after: 'yesterday' })}`, 400);
    await expectError(`${OBJECTS}${query({ limit: 0 })}`, 400);
    await expectError(`${OBJECTS}${query({ 'match[version]': 'newest' })}`, 400);
    await expectError(`${ROOT}/collections/00000000-0000-4000-8000-000000000000/`, 404);
    await expectError(`${ROOT}/collections/00000000-0000-4000-8000-000000000000/objects/`, 404);
    await expectError(`${OBJECTS}indicator--00000000-0000-5000-8000-000000000000/`, 404);
    await expectError(`${OBJECTS}indicator--00000000-0000-5000-8000-000000000000/versions/`, 404);
    for (const accept of ['application/json', 'application/taxii+json;version=2.0', 'text/html'])
      expect(await expectError(OBJECTS, 406, { accept })).toMatchObject({ title: 'Not acceptable' });
    expect((await get(OBJECTS, { accept: '*/*' })).status).toBe(200);
    await expectError(`${OBJECTS}${query({ next: 'made-up' })}`, 416);
    // A next from another state of the list (a restored or rebuilt database): the digest differs.
    const { body } = await taxii<Envelope>(`${OBJECTS}${query({ limit: 1 })}`);
    const forged = body.next!.replace(/^(\d+)\.([0-9a-f]{16})/, (_, v: string) => `${v}.${'0'.repeat(16)}`);
    expect(await expectError(`${OBJECTS}${query({ limit: 1, next: forged })}`, 416)).toMatchObject({
      title: 'Requested range not satisfiable',
    });
  });

  it('records every request as a pull with format taxii', async () => {
    await ctx.deps.pullCache.flush();
    const count = async () =>
      Number(
        (
          await queryRows<{ n: number | string }>(
            ctx.deps.db,
            sql`select coalesce(sum(count), 0) as n from pulls where format = 'taxii'`,
          )
        )[0]!.n,
      );
    const before = await count();
    await get(OBJECTS, { token: a.ncb });
    await get(`${ROOT}/collections/nope/`, { token: a.ncb });
    await ctx.deps.pullCache.flush();
    expect(await count()).toBe(before + 2);
    const rows = await queryRows<{ status: number; version: number | null }>(
      ctx.deps.db,
      sql`select status, version from pulls where format = 'taxii' order by id desc limit 2`,
    );
    expect(rows.map((r) => Number(r.status)).sort()).toEqual([200, 404]);
  });

  it('stamps a removal after its listing even when two builds read the same clock', async () => {
    await report(ctx, a, 'http://zz-taxii-f.com/x');
    await build(ctx, a);
    await exclude('zz-taxii-f.com');
    await build(ctx, a);
    await later(60);
    const versions = byKey(await allPages(OBJECTS, { 'match[version]': 'all' }), 'zz-taxii-f.com');
    expect(versions.map((o) => o.revoked)).toEqual([false, true]);
    expect(new Date(versions[1]!.modified).getTime() - new Date(versions[0]!.modified).getTime()).toBe(1);
    expect(versions.flatMap(stixProblems)).toEqual([]);
  });

  it("runs the README's curl examples as printed", async (t) => {
    const curl = await promisify(execFile)('curl', ['--version']).catch(() => null);
    if (!curl) return t.skip('curl is not installed (Debian package curl, in .ci/system-packages)');
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### TAXII 2.1'), readme.indexOf('### Notifications'));
    const commands = /```sh\n([\s\S]*?)```/
      .exec(section)![1]!
      .split('\n')
      .filter((l) => l.startsWith('curl '));
    expect(commands.length).toBeGreaterThanOrEqual(5);
    const server = await listen(ctx);
    try {
      for (const command of commands) {
        const run = await promisify(execFile)('bash', ['-c', command], {
          env: { ...process.env, W: server.url, ISP: a.isp },
        }).catch((error: { code?: number; stderr?: string }) => error);
        expect('stdout' in run ? '' : `${command}: exit ${String(run.code)} ${run.stderr}`).toBe('');
        const stdout = (run as { stdout: string }).stdout;
        const body = JSON.parse(stdout.slice(stdout.indexOf('{'))) as Envelope;
        if (command.includes('/objects/')) expect((body.objects ?? []).flatMap(stixProblems)).toEqual([]);
        if (command.includes('-D -')) expect(stdout).toMatch(/^x-taxii-date-added-last: \S+Z\r?$/im);
      }
    } finally {
      await server.close();
    }
    // The printed envelope keeps the rules it describes.
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!) as Envelope;
    expect((example.objects ?? []).flatMap(stixProblems)).toEqual([]);
  });
});
