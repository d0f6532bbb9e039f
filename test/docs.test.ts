/**
 * What /docs and /openapi.json serve: a Swagger UI page whose every file comes from this
 * origin (no CDN: it works offline and under a strict CSP), and the document itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

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
