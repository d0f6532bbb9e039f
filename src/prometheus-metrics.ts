/**
 * The Prometheus registry (prom-client), Node only: the Node entry passes it as
 * `deps.metrics`; the Workers bundle never imports this file. Counters and histograms count
 * what this process saw; the list gauges are read from the database at each scrape, so every
 * instance reports the same list state and a restart loses none of it.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { listStatus } from './db/repositories/builds.ts';
import { TIME_TO_LISTING_BUCKETS, timeToListingDistribution } from './db/repositories/first-listings.ts';
import { getUpstreamState, lastUpstreamVersion } from './db/repositories/upstream.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BUILD_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Whatever a client sends, a label takes one of a few values: an odd method or code is `other`. */
const method = (value: string) => (METHODS.has(value) ? value : 'other');
const code = (value: string) => (/^[a-z0-9_]{1,40}$/.test(value) ? value : 'other');

export function createPrometheusMetrics(deps: {
  db: Db;
  clock: () => Date;
  log: Logger;
  config?: Pick<Config, 'WOL_UPSTREAM_URL'>;
}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requests = new Histogram({
    name: 'worstof_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, with their latency (the _count is the request count)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const builds = new Histogram({
    name: 'worstof_build_duration_seconds',
    help: 'Builds by trigger and outcome (changed: a new version; unchanged; failed), with their duration',
    labelNames: ['trigger', 'outcome'] as const,
    buckets: BUILD_BUCKETS,
    registers,
  });
  const pulls = new Counter({
    name: 'worstof_pulls_total',
    help: 'Pulls by role, format (an artifact format, manifest, timestamp or changes) and status (200, 304)',
    labelNames: ['role', 'format', 'status'] as const,
    registers,
  });
  const reports = new Counter({
    name: 'worstof_reports_ingested_total',
    help: 'Submitted reports by outcome: created, existing (a resubmitted external reference) or rejected',
    labelNames: ['outcome'] as const,
    registers,
  });
  const rejections = new Counter({
    name: 'worstof_report_rejections_total',
    help: 'Rejected reports by error code',
    labelNames: ['code'] as const,
    registers,
  });
  const notifications = new Counter({
    name: 'worstof_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome (delivered: a 2xx answer; refused: not a public address)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const dnsRequests = new Counter({
    name: 'worstof_dns_requests_total',
    help: 'Requests to the DNS listener by transport and outcome (malformed: closed unread; limited: over WOL_DNS_RATE)',
    labelNames: ['transport', 'outcome'] as const,
    registers,
  });
  const dnsNotifies = new Counter({
    name: 'worstof_dns_notify_total',
    help: 'NOTIFY messages to secondaries: answered, or failed after the last attempt',
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of ['created', 'existing', 'rejected']) reports.labels(outcome).inc(0);
  for (const outcome of ['delivered', 'failed', 'refused']) notifications.labels(outcome).inc(0);

  // One database read per scrape feeds the four list gauges; each gauge's collect awaits the same read.
  let status: ReturnType<typeof listStatus> | null = null;
  const readStatus = () => {
    status ??= listStatus(deps.db).finally(() => {
      status = null;
    });
    return status.catch((error) => {
      deps.log.warn({ err: error }, 'metrics: could not read the list status');
      return null;
    });
  };
  new Gauge({
    name: 'worstof_database_up',
    help: '1 when the database answered this scrape, else 0 (the list gauges are then absent)',
    registers,
    async collect() {
      this.set((await readStatus()) ? 1 : 0);
    },
  });
  const fromStatus = (name: string, help: string, pick: (s: Awaited<ReturnType<typeof listStatus>>) => number | null) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const value = await readStatus().then((s) => (s ? pick(s) : null));
        this.reset();
        if (value !== null) this.set(value);
      },
    });
  fromStatus('worstof_list_version', 'The newest version (0 before the first build)', (s) => s.version);
  fromStatus('worstof_list_entries', 'Entries in the newest version', (s) => s.entryCount);
  fromStatus(
    'worstof_seconds_since_last_successful_build',
    'Seconds since the last build that succeeded (changed or unchanged) ended; absent before the first',
    (s) => (s.lastSuccessAt ? Math.max(0, (deps.clock().getTime() - s.lastSuccessAt.getTime()) / 1000) : null),
  );

  // Read from the database at each scrape, like the list gauges: one row per listed domain, so
  // every instance reports the same distribution and each domain counts once, restarts or not.
  const timeToListing = 'worstof_time_to_listing_seconds';
  const timeToListingHelp =
    'Seconds from the first report of a domain to the first version that listed it, each listed domain once';
  // prom-client's Histogram only counts observations made in this process; the registry takes
  // any object with a name and get(), which here reads the counts from the database.
  registry.registerMetric({
    name: timeToListing,
    help: timeToListingHelp,
    type: 'histogram',
    get: async () => {
      const values = await timeToListingDistribution(deps.db, TIME_TO_LISTING_BUCKETS).then(
        (d) => [
          ...d.buckets.map((b) => ({ metricName: `${timeToListing}_bucket`, labels: { le: b.le }, value: b.count })),
          { metricName: `${timeToListing}_bucket`, labels: { le: '+Inf' }, value: d.count },
          { metricName: `${timeToListing}_sum`, labels: {}, value: d.sum },
          { metricName: `${timeToListing}_count`, labels: {}, value: d.count },
        ],
        (error) => {
          deps.log.warn({ err: error }, 'metrics: could not read the time to listing');
          return [];
        },
      );
      return { name: timeToListing, help: timeToListingHelp, type: 'histogram', values, aggregator: 'sum' };
    },
  } as unknown as Histogram);

  const upstreamFailures = new Counter({
    name: 'worstof_upstream_sync_failures_total',
    help: 'Syncs with the upstream that failed, by reason (unreachable, http_5xx, bad_signature, rollback, fork, digest_mismatch...)',
    labelNames: ['reason'] as const,
    registers,
  });
  // A national instance's figures, read from the database at each scrape as the list gauges are.
  if (deps.config?.WOL_UPSTREAM_URL) {
    new Gauge({
      name: 'worstof_upstream_version',
      help: 'The last upstream version verified and stored (0 before the first)',
      registers,
      async collect() {
        this.set((await lastUpstreamVersion(deps.db).catch(() => undefined))?.version ?? 0);
      },
    });
    new Gauge({
      name: 'worstof_upstream_seconds_since_sync',
      help: 'Seconds since the last sync that verified the upstream timestamp; absent before the first',
      registers,
      async collect() {
        const syncedAt = (await getUpstreamState(deps.db).catch(() => undefined))?.syncedAt;
        this.reset();
        if (syncedAt) this.set(Math.max(0, (deps.clock().getTime() - syncedAt.getTime()) / 1000));
      },
    });
  }

  return {
    upstreamSync: ({ outcome, reason }) => {
      if (outcome === 'failed') upstreamFailures.labels(code(reason ?? 'error')).inc();
    },
    request: (r) => requests.labels(method(r.method), r.route, String(r.status)).observe(r.seconds),
    build: ({ trigger, outcome, seconds }) => builds.labels(trigger, outcome).observe(seconds),
    pull: ({ role, format, status }) => pulls.labels(role, format, String(status)).inc(),
    ingest: ({ created, existing, rejectedCodes }) => {
      if (created) reports.labels('created').inc(created);
      if (existing) reports.labels('existing').inc(existing);
      if (rejectedCodes.length) reports.labels('rejected').inc(rejectedCodes.length);
      for (const rejected of rejectedCodes) rejections.labels(code(rejected)).inc();
    },
    notification: ({ outcome }) => notifications.labels(outcome).inc(),
    dns: ({ transport, outcome }) => dnsRequests.labels(transport, outcome).inc(),
    dnsNotify: ({ outcome }) => dnsNotifies.labels(outcome).inc(),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
