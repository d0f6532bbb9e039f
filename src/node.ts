/**
 * Node entry: open and migrate the database, make sure the bootstrap admin and a signing
 * key exist, serve HTTP with @hono/node-server, keep Prometheus metrics, run the build
 * schedule and the debounced builds. SIGTERM and SIGINT stop it cleanly and in bounded time:
 * no new connections, in-flight requests and the running build finish, the database closes.
 */
import type { IncomingMessage, Server } from 'node:http';
import { type ServerType, serve } from '@hono/node-server';
import { buildThread } from './build-thread.ts';
import { composeDeps } from './compose-deps.ts';
import type { Config } from './config.ts';
import { parseSigningKey } from './core/signing.ts';
import { prepareDataDir } from './data-dir.ts';
import { openDatabase } from './db/client.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { startDnsListener } from './dns/listener.ts';
import { dnsNotifier } from './dns/notify.ts';
import { type App, createApp } from './http/app.ts';
import { createLogger, type Logger } from './logger.ts';
import { createPrometheusMetrics } from './prometheus-metrics.ts';
import { loadPullClient, pullClientPath } from './pull-client-file.ts';
import { threadRenderer } from './render-thread.ts';
import { assertSchedulable, startSchedule } from './schedule/cron.ts';
import { startDebouncedBuilds } from './schedule/debounce.ts';
import { startUpstreamPoll } from './schedule/upstream-poll.ts';
import { ensureBootstrapAdmin } from './services/bootstrap.ts';
import { fileKeyVault } from './services/file-key-vault.ts';
import { ensureSigningKey } from './services/keys.ts';
import { nodeWebhookSender } from './services/node-webhook-sender.ts';

export interface NodeRuntime {
  /** Resolves with the exit code once the process has been asked to stop and has stopped. */
  done: Promise<number>;
}

/** Everything but the server: what the CLI commands that touch the database use too. */
export async function openNode(
  config: Config,
  log: Logger = createLogger(config.LOG_LEVEL),
): Promise<{ deps: Deps; database: Database }> {
  const configured = config.WOL_SIGNING_KEY ? await parseSigningKey(config.WOL_SIGNING_KEY) : null;
  // The signing keys live there on PostgreSQL too.
  await prepareDataDir(config.DATA_DIR);
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(database);
    const deps = composeDeps({
      db: database.db,
      config,
      clock: () => new Date(),
      log,
      vault: fileKeyVault(config.DATA_DIR, configured),
      sendWebhook: nodeWebhookSender,
    });
    if (config.WOL_BOOTSTRAP_ADMIN_TOKEN) await ensureBootstrapAdmin(deps, config.WOL_BOOTSTRAP_ADMIN_TOKEN);
    await ensureSigningKey(deps, configured);
    return { deps, database };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** How close the same signal may come again and still be the first one, delivered twice. */
const SAME_SIGNAL_MS = 1000;

export async function startNode(config: Config): Promise<NodeRuntime> {
  assertSchedulable(config.WOL_BUILD_CRON);
  const log = createLogger(config.LOG_LEVEL);
  const opened = await openNode(config, log);
  const { database } = opened;
  // On PostgreSQL the whole build runs on its own thread, which reads the same configuration
  // from the environment serve read it from; on PGlite, whose statements run on this thread
  // anyway, only the rendering can leave it.
  const builder = database.kind === 'postgresql' ? buildThread(process.env) : null;
  const renderer = threadRenderer();
  const base: Deps = {
    ...opened.deps,
    metrics: createPrometheusMetrics(opened.deps),
    ...(builder ? { buildThread: builder.call } : { renderArtifacts: renderer.render }),
  };
  // Any Node instance that builds sends the NOTIFYs, whether or not it listens for DNS itself.
  const dnsNotify = dnsNotifier(base);
  const deps: Deps = { ...base, notifyDns: dnsNotify.notify };
  const schedule = config.WOL_BUILD_CRON === 'off' ? null : startSchedule(deps, config.WOL_BUILD_CRON);
  const debounced = config.WOL_BUILD_DEBOUNCE === null ? null : startDebouncedBuilds(deps, config.WOL_BUILD_DEBOUNCE);
  // A national instance builds soon after a new upstream version, debounced as evidence
  // changes are (at once when WOL_BUILD_DEBOUNCE is off: the upstream's cadence is the debounce).
  const national = config.WOL_UPSTREAM_URL ? (debounced ?? startDebouncedBuilds(deps, 0)) : null;
  const upstream = national
    ? startUpstreamPoll({ ...deps, upstreamChanged: national.trigger }, config.WOL_UPSTREAM_POLL)
    : null;
  // Without the bundle the service still serves everything else; /client says it cannot.
  const pullClient = await loadPullClient().catch((error: NodeJS.ErrnoException) => {
    log.warn(
      { file: pullClientPath, error: error.code ?? error.message },
      'no ISP client to serve (/client answers 503): run `npm run build:client` (npm install does) and restart',
    );
    return undefined;
  });
  const app = createApp({
    ...deps,
    ...(pullClient ? { pullClient } : {}),
    nextScheduledBuild: () => schedule?.nextRun() ?? null,
    ...(debounced ? { evidenceChanged: debounced.trigger } : {}),
    ...(national ? { upstreamChanged: national.trigger } : {}),
  });
  /** When listening (HTTP or DNS) fails, the start is abandoned: what it started stops. */
  const abandonStart = async () => {
    await Promise.all([
      schedule?.stop(),
      upstream?.stop(),
      (national ?? debounced)?.stop(),
      renderer.close(),
      builder?.close(),
    ]);
    await database.close();
  };
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const s = serve({ fetch: closeAfterEarlyAnswer(app.fetch), port: config.PORT, hostname: config.HOST }, (info) =>
      resolve({ server: s, port: info.port }),
    );
    s.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(listenFailure(error, config.HOST, config.PORT), { cause: error })),
    );
  }).catch(async (error) => {
    await abandonStart();
    throw error;
  });
  const dns = config.WOL_DNS_LISTEN
    ? await startDnsListener(deps, config.WOL_DNS_LISTEN).catch(async (error) => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await abandonStart();
        throw error;
      })
    : null;

  /**
   * The stop, in order: refuse new connections; let in-flight requests (an API build among
   * them), a scheduled or debounced build, and webhook attempts under way finish; write the
   * last pull records; close the database. Past WOL_SHUTDOWN_TIMEOUT, or on a second signal,
   * the process exits at once with 1: a build cut short that way never committed, so the
   * database still holds the previous version whole (PostgreSQL rolls the transaction back
   * when the connection drops; PGlite's recovery does the same at the next start).
   */
  const stop = async (signal: string): Promise<number> => {
    log.info({ signal, timeoutSeconds: config.WOL_SHUTDOWN_TIMEOUT }, 'stopping');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection that finishes its request after close() stays open until closed here.
    const idle = setInterval(() => (server as Server).closeIdleConnections?.(), 100);
    try {
      await Promise.all([closed, dns?.stop(), schedule?.stop(), upstream?.stop()]);
      await (national ?? debounced)?.stop();
      await Promise.all([deps.notifier.stop(), dnsNotify.stop()]);
      await deps.pullCache.flush().catch((error) => log.error({ err: error }, 'could not write the last pull records'));
      await Promise.all([renderer.close(), builder?.close()]);
      await database.close();
      log.info({ signal }, 'stopped');
      return 0;
    } catch (error) {
      log.error({ err: error }, 'could not stop cleanly');
      return 1;
    } finally {
      clearInterval(idle);
    }
  };

  const done = new Promise<number>((resolve) => {
    let first: { signal: string; at: number } | null = null;
    const onSignal = (signal: string) => {
      if (first) {
        // Under `npm start` a signal to the process group (Ctrl-C, a supervisor's group kill)
        // arrives twice, sent and forwarded by npm, at once: that is still the first.
        if (signal === first.signal && Date.now() - first.at < SAME_SIGNAL_MS) return;
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      first = { signal, at: Date.now() };
      // Unref'd: it fires only while something still holds the process, which is what it is for.
      setTimeout(() => {
        log.error(
          { timeoutSeconds: config.WOL_SHUTDOWN_TIMEOUT },
          'could not stop within WOL_SHUTDOWN_TIMEOUT: exiting',
        );
        process.exit(1);
      }, config.WOL_SHUTDOWN_TIMEOUT * 1000).unref();
      void stop(signal).then(resolve);
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
  // Only now: a supervisor (or a test) that signals as soon as it reads this line finds the handlers in place.
  log.info(
    {
      port,
      database: database.kind,
      schedule: config.WOL_BUILD_CRON,
      debounce: config.WOL_BUILD_DEBOUNCE,
      ...(config.WOL_UPSTREAM_URL ? { upstream: config.WOL_UPSTREAM_URL, upstreamPoll: config.WOL_UPSTREAM_POLL } : {}),
      builds: builder ? 'build thread' : 'render thread',
      ...(dns ? { dnsPort: dns.port } : {}),
    },
    'worstof is serving',
  );
  return { done };
}

/**
 * An answer made while the request body is still arriving (a 401, 413 or 415 to a large
 * upload) says `Connection: close`: @hono/node-server reads and drops the rest of such a body
 * for 500 ms at most and then closes the connection, so a client told to keep it alive would
 * lose the next request it sends on it.
 */
function closeAfterEarlyAnswer(fetch: App['fetch']): App['fetch'] {
  return async (request, env, ...rest) => {
    const response = await fetch(request, env, ...rest);
    const { incoming } = env as { incoming: IncomingMessage };
    if (!incoming.complete) response.headers.set('connection', 'close');
    return response;
  };
}

/** Why the server could not listen, naming the variables to change. */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `HOST=${host} PORT=${port}`;
  if (error.code === 'EADDRINUSE') return `${where}: the port is in use by another process (set PORT to a free one)`;
  if (error.code === 'EADDRNOTAVAIL') return `${where}: this machine has no such address (set HOST to one of its own)`;
  if (error.code === 'EACCES') return `${where}: not allowed to listen there (ports below 1024 need privileges)`;
  return `${where}: cannot listen (${error.code ?? error.message})`;
}
