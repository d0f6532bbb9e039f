/**
 * A browser without a browser for the console: keeps cookies, reads the CSRF token from
 * the pages, and sends forms through app.request() from a client address of its own.
 */
import type { TestContext } from './context.ts';

export interface Page {
  status: number;
  html: string;
  headers: Headers;
  location: string | null;
}

let addresses = 0;

export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;
  readonly address: string;

  constructor(
    readonly ctx: TestContext,
    options: { address?: string; origin?: string } = {},
  ) {
    this.address = options.address ?? `198.51.100.${++addresses}`;
    this.base = options.origin ?? 'http://localhost';
  }

  private readonly base: string;

  async request(
    method: string,
    path: string,
    init: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await this.ctx.app.request(
      new URL(path, this.base).toString(),
      { method, headers, body },
      {
        incoming: { socket: { remoteAddress: this.address } },
      },
    );
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await res.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (csrf) this.csrf = csrf;
    return { status: res.status, html, headers: res.headers, location: res.headers.get('location') };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  /** Posts a form with the CSRF token of the last page that had one (unless the form names its own). */
  post(path: string, form: Record<string, string> = {}, headers?: Record<string, string>) {
    return this.request('POST', path, { form: { ...(this.csrf ? { _csrf: this.csrf } : {}), ...form }, headers });
  }

  /** Follows a redirect (the console answers every form with one). */
  follow(res: Page): Promise<Page> {
    if (!res.location) throw new Error(`expected a redirect, got ${res.status}`);
    return this.get(res.location);
  }

  /** Searches the domains page by POST, as its form does, and answers the results page. */
  async search(q: string, state = ''): Promise<Page> {
    await this.get('/console/domains');
    return this.follow(await this.post('/console/domains', { q, state }));
  }

  /** The path of `listKey`'s page, found as an analyst would: by searching for it and taking its link. */
  async domainPath(listKey: string): Promise<string> {
    const results = await this.search(listKey);
    const escaped = listKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const path = new RegExp(`href="(/console/domains/[A-Za-z0-9_-]+)"><code>${escaped}</code>`).exec(results.html)?.[1];
    if (!path) throw new Error(`no link to ${listKey} on the results page`);
    return path;
  }

  /** Opens the sign-in form and sends `key`; answers the sign-in POST's page. */
  async signIn(key: string): Promise<Page> {
    await this.get('/console/sign-in');
    return this.post('/console/sign-in', { key });
  }
}
