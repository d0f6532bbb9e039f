/**
 * What the services and the app are built from: the runtime's parts (database, clock, logger,
 * key vault, optional senders and threads) and the state that lives as long as the process
 * (caches, limits, the session secret, notifications in flight, the upstream sync under way),
 * all in view here. composeDeps
 * (compose-deps.ts) makes it; Node, Workers, the CLI, the build thread, the tests and the
 * benchmark pass it their own parts.
 */
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { Limiters } from './http/rate-limit.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { ArtifactCache } from './services/artifact-cache.ts';
import type { ArtifactRenderer } from './services/artifact-rendering.ts';
import type { BuildRequest, BuildResult } from './services/build-request.ts';
import type { KeyVault } from './services/key-vault.ts';
import type { Notifier } from './services/notifier.ts';
import type { PullCache } from './services/pull-cache.ts';
import type { SyncQueue } from './services/sync-queue.ts';
import type { TaxiiIndex } from './services/taxii-index.ts';
import type { TsigKeyCache } from './services/tsig-key-cache.ts';
import type { WebhookSender } from './services/webhook-sender.ts';
import type { ZoneCache } from './services/zone-cache.ts';

/** The ISP client, one JavaScript file, as /client/worstof-pull.mjs serves it. */
export interface PullClient {
  script: Uint8Array<ArrayBuffer>;
  sha256: string;
}

export interface Deps {
  db: Db;
  config: Config;
  clock: () => Date;
  log: Logger;
  /** Where private signing keys are read from and new ones kept. */
  vault: KeyVault;
  /** The newest version, artifacts and credentials in memory, and the pull records not yet written. */
  pullCache: PullCache;
  /** The webhook notifications in flight, for a runtime to wait for or stop. */
  notifier: Notifier;
  /** The upstream sync under way and the one waiting behind it (a national instance). */
  syncQueue: SyncQueue;
  /** The TSIG keys the DNS listener resolved, unsealed, for a second at most. */
  tsigKeyCache: TsigKeyCache;
  /** The newest version's zone, parsed, for the DNS listener's transfers. */
  zoneCache: ZoneCache;
  /** TAXII object ids of the newest version's listings, for `match[id]`. */
  taxiiIndex: TaxiiIndex;
  /** Per-address limits of the unauthenticated writes, counted in this process. */
  limits: Limiters;
  /** Signs console sessions and derives CSRF tokens: WOL_SESSION_SECRET, or random for the process. */
  sessionSecret: Uint8Array;
  /** When the schedule runs the next build, where a schedule runs in this process. */
  nextScheduledBuild?: () => Date | null;
  /** Artifact bodies shared beyond this process (Workers: the Cache API), read after the credential check. */
  artifactCache?: ArtifactCache;
  /** Where requests, builds, pulls and intake are counted (Node: Prometheus); absent: not counted. */
  metrics?: Metrics;
  /**
   * How webhooks are POSTed (Node: resolved and checked here, node-webhook-sender.ts); absent:
   * fetch, only the URL's literal host checked (Workers, whose fetch reaches no private address).
   */
  sendWebhook?: WebhookSender;
  /**
   * Called by a service after a transaction that changed evidence (an assessment, an observation,
   * an exclusion) has committed; WOL_BUILD_DEBOUNCE turns it into a build soon after.
   */
  evidenceChanged?: () => void;
  /** Called after a sync stored a new upstream version (issue 17): serve turns it into a debounced build. */
  upstreamChanged?: () => void;
  /** Sends DNS NOTIFY for a new version to the secondaries TSIG keys name (Node: dns/notify.ts); absent: none sent. */
  notifyDns?: (version: number) => void;
  /** Renders a build's artifacts (Node serve: on a worker thread); absent: inline. */
  renderArtifacts?: ArtifactRenderer;
  /** Runs a build's transaction elsewhere (Node serve on PostgreSQL: build-thread.ts); absent: here. */
  buildThread?: (request: BuildRequest) => Promise<BuildResult>;
  /** The bundled ISP client (Node: read at start, pull-client-file.ts); absent: /client answers 503. */
  pullClient?: PullClient;
}
