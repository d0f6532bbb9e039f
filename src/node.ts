/**
 * Node entry: open and migrate the database, make sure the bootstrap admin and a signing
 * key exist, serve HTTP with @hono/node-server and run the build schedule. SIGTERM and
 * SIGINT stop it cleanly: no new connections, the running build finishes, the database closes.
 */
import { serve } from '@hono/node-server';
import type { Config } from './config.ts';
import { parseSigningKey } from './core/signing.ts';
import { openDatabase } from './db/client.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { createApp } from './http/app.ts';
import { createLogger, type Logger } from './logger.ts';
import { assertSchedulable, startSchedule } from './schedule/cron.ts';
import { ensureBootstrapAdmin } from './services/bootstrap.ts';
import { fileKeyVault } from './services/file-key-vault.ts';
import { ensureSigningKey } from './services/keys.ts';

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
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(database);
    const deps: Deps = {
      db: database.db,
      config,
      clock: () => new Date(),
      log,
      vault: fileKeyVault(config.DATA_DIR, configured),
    };
    if (config.WOL_BOOTSTRAP_ADMIN_TOKEN) await ensureBootstrapAdmin(deps, config.WOL_BOOTSTRAP_ADMIN_TOKEN);
    await ensureSigningKey(deps, configured);
    return { deps, database };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function startNode(config: Config): Promise<NodeRuntime> {
  assertSchedulable(config.WOL_BUILD_CRON);
  const log = createLogger(config.LOG_LEVEL);
  const { deps, database } = await openNode(config, log);
  const schedule = config.WOL_BUILD_CRON === 'off' ? null : startSchedule(deps, config.WOL_BUILD_CRON);
  const app = createApp({ ...deps, nextScheduledBuild: () => schedule?.nextRun() ?? null });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  log.info({ port: config.PORT, database: database.kind, schedule: config.WOL_BUILD_CRON }, 'worstof is serving');

  const done = new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      server.close(async () => {
        await schedule?.stop();
        await database.close();
        resolve(0);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return { done };
}
