/**
 * What /docs and /openapi.json serve: a Swagger UI page whose every file comes from this
 * origin (no CDN: it works offline and under a strict CSP), and the document itself, which
 * Redocly's recommended rules accept and whose operations each have their own operationId.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

const REDOCLY = path.resolve('node_modules/@redocly/cli/bin/cli.js');

interface Operation {
  operationId?: string;
  security?: unknown[];
}
interface Document {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe(`/docs on ${databaseName}`, () => {
  it('references only files of its own origin, each served with its type', async () => {
    const res = await ctx.call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son\w+=/);

    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    const scripts = [...html.matchAll(/<script src="([^"]*)"/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]*)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    expect(styles).toHaveLength(1);
    for (const url of urls) expect(url).toMatch(/^\/[^/]/);

    for (const url of scripts) {
      const file = await ctx.call('GET', url);
      expect(file.status, url).toBe(200);
      expect(file.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(file.headers.get('cache-control')).toContain('immutable');
    }
    const [bundle, init] = await Promise.all(scripts.map(async (url) => (await ctx.call('GET', url)).text()));
    expect(bundle).toContain('SwaggerUIBundle');
    // The initializer asks for this origin's document and for no validator badge from elsewhere.
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
    expect(init).not.toMatch(/https?:\/\//);

    const css = await ctx.call('GET', styles[0]!);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.swagger-ui');
  });

  it('answers 404 problem+json for a file it does not have', async () => {
    const res = await ctx.call('GET', '/docs/assets/index.html');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe(`/openapi.json on ${databaseName}`, () => {
  const document = async (from = ctx) => (await (await from.call('GET', '/openapi.json')).json()) as Document;
  const operations = (doc: Document) =>
    Object.entries(doc.paths).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${route}`, ...op })),
    );

  it('gives every operation its own camelCase operationId', async () => {
    const ops = operations(await document());
    expect(ops.length).toBeGreaterThan(30);
    for (const op of ops) expect(op.operationId, op.name).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ops.map((op) => op.operationId)).size).toBe(ops.length);
  });

  it('asks no key of the public routes', async () => {
    const doc = await document();
    for (const [route, method] of [
      ['/healthz', 'get'],
      ['/.well-known/jwks.json', 'get'],
      ['/v1/delisting-requests', 'post'],
    ] as const)
      expect(doc.paths[route]?.[method]?.security, route).toEqual([]);
    expect(doc.paths['/v1/reports']?.get?.security).toBeUndefined();
  });

  it("names WOL_PUBLIC_URL as the server, or else '/' (this origin)", async () => {
    expect((await document()).servers).toEqual([{ url: '/' }]);
    const configured = await createTestContext({ WOL_PUBLIC_URL: 'https://worstof.example.org' });
    try {
      expect((await document(configured)).servers).toEqual([{ url: 'https://worstof.example.org' }]);
    } finally {
      await configured.close();
    }
  });

  it("passes Redocly's recommended rules", async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wol-redocly-'));
    try {
      const file = path.join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(await document()));
      // Run in a folder of its own (no project config is read), without telemetry or update checks.
      const run = await promisify(execFile)(
        process.execPath,
        [REDOCLY, 'lint', '--format=json', '--extends=recommended', file],
        {
          cwd: dir,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
        },
      ).catch((error: { stdout?: string; stderr?: string }) => error);
      const stdout = run.stdout ?? '';
      if (!stdout.trim().startsWith('{') && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|fetch failed/.test(run.stderr ?? ''))
        return t.skip(`redocly lint could not run offline: ${run.stderr?.trim().split('\n').at(-1)}`);
      const result = JSON.parse(stdout) as {
        problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
      };
      // Warnings known and accepted: the project states no licence; /healthz and the JWK Set take no
      // input and no key, so they have no client error (4xx) to answer.
      const accepted = new Set([
        'info-license #/info',
        'operation-4xx-response #/paths/~1healthz/get/responses',
        'operation-4xx-response #/paths/~1.well-known~1jwks.json/get/responses',
      ]);
      const problems = result.problems
        .map((p) => `${p.ruleId} ${p.location[0]?.pointer}`)
        .filter((p) => !accepted.has(p))
        // TAXII 2.1 names its URLs with a trailing slash; its clients ask for them so.
        .filter((p) => !p.startsWith('no-path-trailing-slash #/paths/~1taxii2~1'));
      expect(problems).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
