/**
 * Node entry: open and migrate the database, make sure the bootstrap admin exists, serve
 * HTTP with @hono/node-server and run the build schedule. SIGTERM and SIGINT stop it cleanly.
 */
import { serve } from '@hono/node-server';
import type { Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { createApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import { ensureBootstrapAdmin } from './services/bootstrap.ts';

export interface NodeRuntime {
  /** Resolves with the exit code once the process has been asked to stop and has stopped. */
  done: Promise<number>;
}

export async function startNode(config: Config): Promise<NodeRuntime> {
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  await migrate(database);
  const deps: Deps = { db: database.db, config, clock: () => new Date(), log };
  if (config.WOL_BOOTSTRAP_ADMIN_TOKEN) await ensureBootstrapAdmin(deps, config.WOL_BOOTSTRAP_ADMIN_TOKEN);

  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  log.info({ port: config.PORT, database: database.kind }, 'worstof is serving');

  const done = new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      server.close(async () => {
        await database.close();
        resolve(0);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return { done };
}
