/**
 * Monitoring through real HTTP on loopback: /metrics is readable by admin keys and by the
 * addresses WOL_METRICS_ALLOW names, nobody else; the exposition parses with Prometheus's
 * own parser and counts requests (by route pattern), builds, pulls and intake; no label and
 * no info log line names a listed domain or carries a token.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { addressAllowed, parseAddressList } from '../src/core/address-list.ts';
import type { Deps } from '../src/deps.ts';
import { type App, createApp } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { createPrometheusMetrics } from '../src/prometheus-metrics.ts';
import { type Actors, confirming, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { type Family, havePrometheusParser, parsePrometheus, samples, value } from './support/prometheus.ts';

const LISTED = 'zz-secret-listed.example';

let ctx: TestContext;
let a: Actors;
const logLines: Record<string, unknown>[] = [];
const servers: { close: () => Promise<void> }[] = [];

async function serveApp(app: App): Promise<string> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  servers.push({ close: () => new Promise((r) => server.close(() => r())) });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function appWith(allow: string, extra: Partial<Deps> = {}): App {
  return createApp({
    ...ctx.deps,
    config: { ...ctx.deps.config, WOL_METRICS_ALLOW: parseAddressList(allow) },
    ...extra,
  });
}

const get = (url: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
const post = (url: string, token: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

let base: string;
let families: Family[];
let exposition: string;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const log = createLogger('debug', sink);
  const metrics = createPrometheusMetrics({ ...ctx.deps, log });
  base = await serveApp(appWith('', { log, metrics }));

  // Traffic: two confirmations (listed), a rejected report, a build, pulls with a 304, a domain page, a miss.
  for (const [token, ref] of [
    [a.reporterA, 'm-1'],
    [a.reporterB, 'm-2'],
  ] as const)
    expect(
      (
        await post(`${base}/v1/reports`, token, {
          externalRef: ref,
          url: `http://${LISTED}/x`,
          assessment: confirming(ctx),
        })
      ).status,
    ).toBe(201);
  expect(
    (await post(`${base}/v1/reports`, a.reporterA, { externalRef: 'm-3', url: 'ftp://zz-other.example/' })).status,
  ).toBe(422);
  expect((await post(`${base}/v1/builds`, a.analyst, {})).status).toBe(200);
  const first = await get(`${base}/v1/list/latest.txt`, a.isp);
  expect(await first.text()).toBe(`${LISTED}\n`);
  const etag = first.headers.get('etag')!;
  expect((await get(`${base}/v1/list/latest.txt`, a.isp, { 'if-none-match': etag })).status).toBe(304);
  expect((await get(`${base}/v1/list/latest.txt`, a.isp, { 'if-none-match': etag })).status).toBe(304);
  expect((await get(`${base}/v1/list/manifest`, a.ncb)).status).toBe(200);
  expect((await get(`${base}/v1/domains/${LISTED}`, a.analyst)).status).toBe(200);
  expect((await get(`${base}/v1/no-such-route/${LISTED}`)).status).toBe(404);

  const res = await get(`${base}/metrics`, a.admin);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  exposition = await res.text();
  if (havePrometheusParser) families = await parsePrometheus(exposition);
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await ctx.close();
});

describe.skipIf(!havePrometheusParser)(`metrics on ${databaseName}`, () => {
  it('parses with the Prometheus parser and counts requests by route pattern and status, with latency buckets', () => {
    const requests = (labels: Record<string, string>) =>
      value(families, 'worstof_http_request_duration_seconds_count', labels);
    expect(requests({ method: 'GET', route: '/v1/list/:file', status: '200' })).toBe(1);
    expect(requests({ method: 'GET', route: '/v1/list/:file', status: '304' })).toBe(2);
    expect(requests({ method: 'GET', route: '/v1/list/manifest', status: '200' })).toBe(1);
    expect(requests({ method: 'POST', route: '/v1/reports', status: '201' })).toBe(2);
    expect(requests({ method: 'POST', route: '/v1/reports', status: '422' })).toBe(1);
    expect(requests({ route: '/v1/domains/:listKey', status: '200' })).toBe(1);
    expect(requests({ route: 'unmatched', status: '404' })).toBe(1);
    const buckets = samples(families, 'worstof_http_request_duration_seconds_bucket', { route: '/v1/builds' });
    expect(buckets.map((b) => b.labels.le)).toContain('+Inf');
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(1);
  });

  it('counts builds by outcome with their duration, and reads the list state from the database', () => {
    expect(value(families, 'worstof_build_duration_seconds_count', { trigger: 'api', outcome: 'changed' })).toBe(1);
    expect(value(families, 'worstof_build_duration_seconds_sum', { outcome: 'changed' })).toBeGreaterThan(0);
    expect(value(families, 'worstof_list_version')).toBe(1);
    expect(value(families, 'worstof_list_entries')).toBe(1);
    expect(value(families, 'worstof_database_up')).toBe(1);
    const since = value(families, 'worstof_seconds_since_last_successful_build')!;
    expect(since).toBeGreaterThanOrEqual(0);
    expect(since).toBeLessThan(60);
  });

  it('counts pulls by role, format and status (the 304 ratio) and intake by outcome and error code', () => {
    const pulls = (labels: Record<string, string>) => value(families, 'worstof_pulls_total', labels);
    expect(pulls({ role: 'isp', format: 'txt', status: '200' })).toBe(1);
    expect(pulls({ role: 'isp', format: 'txt', status: '304' })).toBe(2);
    expect(pulls({ role: 'ncb', format: 'manifest', status: '200' })).toBe(1);
    expect(value(families, 'worstof_reports_ingested_total', { outcome: 'created' })).toBe(2);
    expect(value(families, 'worstof_reports_ingested_total', { outcome: 'rejected' })).toBe(1);
    expect(value(families, 'worstof_report_rejections_total', { code: 'unsupported_scheme' })).toBe(1);
    expect(families.some((f) => f.name === 'process_cpu_seconds')).toBe(true);
  });

  it('puts no listed domain, path or token in any label', () => {
    expect(exposition).not.toContain('zz-secret');
    expect(exposition).not.toContain('zz-other');
    for (const token of Object.values(a).filter((t) => typeof t === 'string')) expect(exposition).not.toContain(token);
    const labelValues = families.flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels)));
    expect(labelValues.filter((v) => v.includes('.') && !/^[\d.+Inf]+$/.test(v) && !v.startsWith('v'))).toEqual([]);
  });

  it('logs one JSON line per request with its id, route pattern, status, duration and credential, and nothing secret at info', () => {
    const requests = logLines.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(11);
    for (const line of requests) {
      expect(line).toMatchObject({ level: 30, requestId: expect.any(String), route: expect.any(String) });
      expect(typeof line.status).toBe('number');
      expect(typeof line.durationMs).toBe('number');
    }
    const pull = requests.find((l) => l.route === '/v1/list/:file' && l.status === 304)!;
    expect(pull.credentialId).toEqual(expect.any(Number));
    expect(requests.find((l) => l.route === 'unmatched')?.credentialId).toBeNull();
    const built = logLines.find((l) => l.msg === 'build finished') as { build: Record<string, unknown> };
    expect(built.build).toMatchObject({ trigger: 'api', version: 1, changed: true, entryCount: 1 });
    const info = logLines.filter((l) => (l.level as number) >= 30).map((l) => JSON.stringify(l));
    for (const line of info) {
      expect(line).not.toContain('zz-secret');
      expect(line).not.toMatch(/wol_(admin|analyst|reporter|ncb|isp)_/);
      expect(line).not.toMatch(/bearer/i);
    }
  });
});

describe(`who may read /metrics on ${databaseName}`, () => {
  it('answers admins, and refuses anyone else with problem+json: 401 without a valid key, 403 for other roles', async () => {
    const url = `${await serveApp(appWith('', { metrics: createPrometheusMetrics(ctx.deps) }))}/metrics`;
    expect((await get(url, a.admin)).status).toBe(200);
    for (const [token, status] of [
      [undefined, 401],
      [`wol_admin_${'u'.repeat(43)}`, 401],
      [a.analyst, 403],
      [a.reporterA, 403],
      [a.ncb, 403],
      [a.isp, 403],
    ] as const) {
      const res = await get(url, token);
      expect(res.status, String(token)).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('answers an allowed address without a key, and only an allowed one', async () => {
    const metrics = createPrometheusMetrics(ctx.deps);
    const allowed = `${await serveApp(appWith('10.0.0.0/8, 127.0.0.0/8', { metrics }))}/metrics`;
    const res = await get(allowed);
    expect(res.status).toBe(200);
    const text = await res.text();
    if (havePrometheusParser) await parsePrometheus(text);
    else expect(text).toMatch(/^# HELP /m);
    const other = `${await serveApp(appWith('10.0.0.0/8, ::1', { metrics }))}/metrics`;
    expect((await get(other)).status).toBe(401);
    expect((await get(other, a.isp)).status).toBe(403);
  });

  it('answers 404 to an allowed caller where the runtime keeps no metrics', async () => {
    expect((await get(`${await serveApp(appWith('127.0.0.1'))}/metrics`)).status).toBe(404);
  });
});

describe('WOL_METRICS_ALLOW', () => {
  it('takes addresses and networks, IPv4 and IPv6, and matches IPv4-mapped clients', () => {
    const list = parseAddressList(' 127.0.0.1 , 10.0.0.0/8,::1, 2001:db8::/32 ');
    expect(addressAllowed(list, '127.0.0.1')).toBe(true);
    expect(addressAllowed(list, '::ffff:127.0.0.1')).toBe(true);
    expect(addressAllowed(list, '10.200.3.4')).toBe(true);
    expect(addressAllowed(list, '11.0.0.1')).toBe(false);
    expect(addressAllowed(list, '::1')).toBe(true);
    expect(addressAllowed(list, '2001:db8:1::5')).toBe(true);
    expect(addressAllowed(list, '2001:db9::1')).toBe(false);
    expect(addressAllowed(list, 'unknown')).toBe(false);
    expect(addressAllowed(parseAddressList(''), '127.0.0.1')).toBe(false);
  });

  it('stops the start on a value that is not an address or network, naming the variable', () => {
    expect(() => loadConfig({ WOL_METRICS_ALLOW: '127.0.0.1, example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ WOL_METRICS_ALLOW: '10.0.0.0/33' })).toThrow(/WOL_METRICS_ALLOW/);
    expect(() => loadConfig({ WOL_SHUTDOWN_TIMEOUT: 'soon' })).toThrow(/WOL_SHUTDOWN_TIMEOUT/);
    expect(() => loadConfig({ WOL_BUILD_DEBOUNCE: '-1' })).toThrow(/WOL_BUILD_DEBOUNCE/);
    expect(loadConfig({}).WOL_BUILD_DEBOUNCE).toBeNull();
    expect(loadConfig({ WOL_BUILD_DEBOUNCE: '2m' }).WOL_BUILD_DEBOUNCE).toBe(120);
    expect(loadConfig({}).WOL_SHUTDOWN_TIMEOUT).toBe(30);
  });
});
