/**
 * Cloudflare Workers entry: the same createApp(deps) and buildSnapshot as the Node entry
 * (node.ts), over postgres.js on Workers TCP sockets. Nothing Node-only is reached from here
 * (no fs, node-cron, PGlite or pino). Each request and each cron invocation opens one
 * connection (Hyperdrive pools them) and closes it once the response is out, in waitUntil:
 * a socket cannot outlive the request that opened it. The app and its deps are built once per
 * isolate, so the rate limits and the session secret last across requests; what belongs to a
 * connection (the handle, the pull cache and its pending writes, the notifications in flight,
 * the upstream sync queue) is the request's own, found through an AsyncLocalStorage. The worker never migrates the
 * database: run `npx worstof migrate` with DATABASE_URL first.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type ConnectionState, composeDeps, connectionState } from './compose-deps.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createConsoleLogger } from './console-logger.ts';
import { parseSigningKey, type SigningKey } from './core/signing.ts';
import { openPostgres } from './db/postgres.ts';
import type { Deps } from './deps.ts';
import { type App, createApp } from './http/app.ts';
import { problem } from './http/problem.ts';
import { cacheApiArtifacts } from './services/artifact-cache.ts';
import { ensureBootstrapAdmin } from './services/bootstrap.ts';
import { buildSnapshot } from './services/build.ts';
import { systemCaller } from './services/caller.ts';
import { configuredKeyVault } from './services/key-vault.ts';
import { ensureSigningKey } from './services/keys.ts';

export interface WorkerEnv {
  /** A Hyperdrive binding; preferred over DATABASE_URL when both are there. */
  HYPERDRIVE?: { connectionString: string };
  DATABASE_URL?: string;
  /** The private Ed25519 JWK the builds sign with: Workers have no key folder. */
  WOL_SIGNING_KEY?: string;
  [name: string]: unknown;
}

/** The parts of the Workers runtime this entry uses (no @cloudflare/workers-types needed). */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}
export interface ScheduledController {
  cron: string;
  scheduledTime: number;
}

interface Setup {
  databaseUrl: string;
  signingKey: SigningKey | null;
  /** Shared by every request and cron run of the isolate; `db` is the running one's connection. */
  deps: Deps;
  app: App;
}

/** The connection of the request or cron run whose code is running (requests run concurrently). */
const connection = new AsyncLocalStorage<ConnectionState>();

/** The location's Cache API (Workers' `caches.default`), where there is one. */
const edgeCache = (globalThis as { caches?: { default?: Cache } }).caches?.default;
const artifactCache = edgeCache ? cacheApiArtifacts(edgeCache) : undefined;

/**
 * Parsed and built once per isolate, per env. Only the resolved value is shared, never a
 * pending promise: Workers refuse a promise settled by another request's I/O.
 */
let cached: { env: WorkerEnv; setup: Setup } | null = null;
/** Set once the configured key and bootstrap admin are known to be in the database. */
let prepared = false;

async function setUp(env: WorkerEnv): Promise<Setup> {
  if (cached?.env === env) return cached.setup;
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const config = loadConfig({ ...vars, DATABASE_URL: env.HYPERDRIVE?.connectionString ?? vars.DATABASE_URL });
  if (!config.DATABASE_URL)
    throw new ConfigError('invalid configuration:\n  DATABASE_URL: bind HYPERDRIVE or set the DATABASE_URL secret');
  const signingKey = config.WOL_SIGNING_KEY ? await parseSigningKey(config.WOL_SIGNING_KEY) : null;
  const deps = composeDeps({
    connection: () => {
      const running = connection.getStore();
      if (!running) throw new Error('no database connection outside a request or cron run');
      return running;
    },
    config,
    clock: () => new Date(),
    log: createConsoleLogger(config.LOG_LEVEL),
    vault: configuredKeyVault(signingKey),
    ...(artifactCache ? { artifactCache } : {}),
  });
  const setup = { databaseUrl: config.DATABASE_URL, signingKey, deps, app: createApp(deps) };
  cached = { env, setup };
  return setup;
}

/** What openNode does at start, done by the first request or cron run of an isolate. */
async function prepare(deps: Deps, signingKey: SigningKey | null): Promise<void> {
  if (prepared) return;
  if (deps.config.WOL_BOOTSTRAP_ADMIN_TOKEN) await ensureBootstrapAdmin(deps, deps.config.WOL_BOOTSTRAP_ADMIN_TOKEN);
  if (signingKey) await ensureSigningKey(deps, signingKey);
  prepared = true;
}

/** Runs `work` over a connection of its own, closed once what it started in the background is done. */
async function withConnection<T>(setup: Setup, ctx: WorkerContext, work: () => Promise<T>): Promise<T> {
  const database = openPostgres(setup.databaseUrl, 1);
  const state = connectionState(database.db, setup.deps.clock);
  try {
    return await connection.run(state, work);
  } finally {
    // New-version notifications a build started, then the batched pull records, then close.
    const log = setup.deps.log;
    ctx.waitUntil(
      state.notifier
        .pending()
        .then(() => state.pullCache.flush())
        .catch((error) => log.error({ err: error }, 'could not write the pull records'))
        .finally(() => database.close()),
    );
  }
}

/**
 * Cloudflare hands a worker `Accept-Encoding: br, gzip` whatever the client sent, and keeps the
 * client's own value in `request.cf.clientAcceptEncoding`. The app chooses between the stored
 * gzip and the plain bytes from that header, so it must see what the client really accepts.
 */
function withClientEncoding(request: Request): Request {
  const original = (request as { cf?: { clientAcceptEncoding?: string } }).cf?.clientAcceptEncoding;
  if (original === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return request;
  const headers = new Headers(request.headers);
  if (original) headers.set('accept-encoding', original);
  else headers.delete('accept-encoding');
  return new Request(request, { headers });
}

/**
 * The app sends artifacts gzipped from storage with Content-Encoding: gzip. The Workers
 * runtime would compress such a body again unless told it already is (`encodeBody: manual`):
 * a client would get gzip inside gzip, and a digest that matches neither.
 */
function sentAsIs(response: Response): Response {
  if (!response.headers.has('content-encoding')) return response;
  const { status, statusText, headers, body } = response;
  return new Response(body, { status, statusText, headers, encodeBody: 'manual' } as ResponseInit);
}

const misconfigured = (error: unknown) => {
  console.error(JSON.stringify({ level: 50, msg: 'worstof is misconfigured', err: String(error) }));
  const body = problem(500, 'misconfigured', 'the service is misconfigured; its operator has been told in the log');
  return Response.json(body, { status: 500, headers: { 'content-type': 'application/problem+json' } });
};

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    let setup: Setup;
    try {
      setup = await setUp(env);
    } catch (error) {
      return misconfigured(error);
    }
    const { deps, app } = setup;
    return withConnection(setup, ctx, async () => {
      // A database that does not answer yet must not stop /healthz from saying so.
      await prepare(deps, setup.signingKey).catch((error) => deps.log.warn({ err: error }, 'start-up checks failed'));
      // `WORKERS` tells the app to take the client address from CF-Connecting-IP.
      return sentAsIs(await app.fetch(withClientEncoding(request), { WORKERS: true }, ctx as never));
    });
  },

  /** The cron trigger (wrangler.toml): the same build as Node's schedule; the timestamp is refreshed either way. */
  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: WorkerContext): Promise<void> {
    const setup = await setUp(env);
    const { deps } = setup;
    await withConnection(setup, ctx, async () => {
      await prepare(deps, setup.signingKey);
      deps.log.info({ cron: controller.cron }, 'scheduled build');
      await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'schedule' } });
    });
  },
};
