/**
 * The app wired as in production (createApp over a real database), with a clock the test
 * moves and a `call` helper that goes through app.request().
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeDeps } from '../../src/compose-deps.ts';
import { loadConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { type App, createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { loadPullClient } from '../../src/pull-client-file.ts';
import { fileKeyVault } from '../../src/services/file-key-vault.ts';
import { ensureSigningKey } from '../../src/services/keys.ts';
import { nodeWebhookSender } from '../../src/services/node-webhook-sender.ts';
import { createTestDatabase } from './database.ts';

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestContext {
  app: App;
  deps: Deps;
  dataDir: string;
  databaseUrl: string | null;
  now: () => Date;
  setNow: (iso: string | Date) => void;
  call: (method: string, path: string, options?: CallOptions) => Promise<Response>;
  close: () => Promise<void>;
}

/** The clock starts at the real time: child processes (the pull client) check expiry with theirs. */
const START = () => new Date(Math.floor(Date.now() / 1000) * 1000);

export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'wol-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  let current = START();
  const deps = composeDeps({
    db: database.db,
    config,
    clock: () => current,
    log: createLogger(process.env.WOL_TEST_LOG ?? 'silent'),
    vault: fileKeyVault(dataDir, null),
    sendWebhook: nodeWebhookSender,
    pullClient: await loadPullClient(),
  });
  await ensureSigningKey(deps, null);
  const app = createApp(deps);
  return {
    app,
    deps,
    dataDir,
    databaseUrl: database.url,
    now: () => current,
    setNow: (value) => {
      current = new Date(value);
    },
    call: async (method, url, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: BodyInit | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      return app.request(url, { method, headers, body });
    },
    close: async () => {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
