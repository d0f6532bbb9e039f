/**
 * Node on PostgreSQL: builds run on a worker thread with connections of its own, so the serving
 * thread keeps answering pulls and /healthz while a build reads the evidence, evaluates,
 * renders, compresses and writes (issue 14 item 5: the render thread alone still left the
 * evidence rows, the evaluation and the artifact parameters on the serving thread). The thread
 * runs the build's transaction (commitBuild); buildSnapshot, on the serving thread, does what
 * follows the commit, since the caches and notifiers it touches live there. On PGlite the
 * database itself runs on the serving thread, so there is no build thread (node.ts).
 *
 * The thread reads its configuration from the environment it was started with, as serve does,
 * and keeps one build at a time (the advisory lock would serialise more anyway).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { composeDeps } from './compose-deps.ts';
import { loadConfig } from './config.ts';
import { parseSigningKey } from './core/signing.ts';
import { driverCode, failureMessage } from './db/errors.ts';
import { openPostgres } from './db/postgres.ts';
import { createLogger } from './logger.ts';
import { commitBuild } from './services/build.ts';
import type { BuildRequest, BuildResult } from './services/build-request.ts';
import { UnavailableError } from './services/errors.ts';
import { fileKeyVault } from './services/file-key-vault.ts';
import { answerRequests, type ThreadClient, threadClient } from './thread-client.ts';

/** An error crossing the thread boundary: what the HTTP layer and the failure record read of it. */
interface ThreadFailure {
  message: string;
  /** The driver's code (SQLSTATE or connection failure), so a 503 stays a 503. */
  code?: string;
  unavailable?: { code: string; detail: Record<string, unknown> };
}

const MODULE = import.meta.url;
/** A build's transaction and a failed build's record, never more. */
const CONNECTIONS = 2;

if (workerData?.module === MODULE && parentPort) {
  const config = loadConfig(workerData.env);
  const database = openPostgres(config.DATABASE_URL!, CONNECTIONS);
  const configured = config.WOL_SIGNING_KEY ? await parseSigningKey(config.WOL_SIGNING_KEY) : null;
  const deps = composeDeps({
    db: database.db,
    config,
    clock: () => new Date(),
    log: createLogger(config.LOG_LEVEL),
    vault: fileKeyVault(config.DATA_DIR, configured),
  });
  answerRequests<BuildRequest, BuildResult, ThreadFailure>(
    parentPort,
    async (request) => ({ result: await commitBuild(deps, request) }),
    describe,
  );
}

function describe(error: unknown): ThreadFailure {
  if (error instanceof UnavailableError)
    return { message: error.message, unavailable: { code: error.code, detail: error.detail } };
  const code = driverCode(error);
  return { message: failureMessage(error), ...(code ? { code } : {}) };
}

function revive(failure: ThreadFailure): Error {
  if (failure.unavailable)
    return new UnavailableError(failure.unavailable.code, failure.message, failure.unavailable.detail);
  return Object.assign(new Error(failure.message), failure.code ? { code: failure.code } : {});
}

export type BuildThread = ThreadClient<BuildRequest, BuildResult>;

/**
 * `env` is what the configuration was read from (serve: process.env). The thread starts with
 * the first build (loading the sources takes it a second or two, off the serving thread).
 */
export function buildThread(env: Record<string, string | undefined>): BuildThread {
  return threadClient<BuildRequest, BuildResult, ThreadFailure>({
    module: MODULE,
    data: { env: { ...env } },
    revive,
    name: 'build thread',
  });
}
