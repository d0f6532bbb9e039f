/**
 * What the app and the services report to monitoring: a small interface, so they import no
 * metrics library. The Node entry passes a Prometheus implementation (prometheus-metrics.ts)
 * as `deps.metrics`; a runtime without one passes nothing and every call is skipped.
 *
 * Label values are drawn from small, fixed sets (route patterns, roles, formats, status codes,
 * error codes): never a path, a URL, a domain or a token, so a label can reveal no listed domain.
 */
import type { BuildOutcome } from './core/vocabulary.ts';

export interface Metrics {
  /** One answered request: `route` is the matched pattern (`/v1/list/:file`) or `unmatched`. */
  request(sample: { method: string; route: string; status: number; seconds: number }): void;
  build(sample: { trigger: string; outcome: BuildOutcome; seconds: number }): void;
  /** One pull: `format` is an artifact format, `manifest`, `timestamp` or `changes`. */
  pull(sample: { role: string; format: string; status: number }): void;
  /** One batch of submitted reports: how many were new, already known, and the code of each rejection. */
  ingest(sample: { created: number; existing: number; rejectedCodes: readonly string[] }): void;
  /** One webhook delivery attempt; `refused`: its target is not a public address (nothing was sent). */
  notification(sample: { outcome: 'delivered' | 'failed' | 'refused' }): void;
  /** One DNS request to the listener, by transport and outcome (axfr, ixfr, soa, refused, notauth, malformed, limited...). */
  dns?(sample: { transport: 'tcp' | 'udp'; outcome: string }): void;
  /** One NOTIFY sent to a secondary: answered, or failed after its last attempt. */
  dnsNotify?(sample: { outcome: 'answered' | 'failed' | 'refused' }): void;
  /** One sync of a national instance with its upstream; `reason` of a failure is a fixed code (unreachable, fork...). */
  upstreamSync?(sample: { outcome: 'ok' | 'failed'; reason?: string }): void;
  /** The exposition in the Prometheus text format. */
  render(): Promise<{ contentType: string; body: string }>;
}
