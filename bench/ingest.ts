/**
 * Intake throughput through POST /v1/reports over real HTTP (a JSON batch, then an NDJSON
 * stream) against a raw multi-row insert of the same rows in the same run; and the batch
 * again with the evidence summary's trigger on reports disabled (what it costs intake, issue 16).
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { canonicalize } from '../src/core/canonicalize.ts';
import { reports } from '../src/db/schema.ts';
import type { Deps } from '../src/deps.ts';
import { createApp } from '../src/http/app.ts';
import type { BenchDatabase } from './database.ts';
import { round, timed } from './measure.ts';
import { benchToken, serveOnLoopback } from './server.ts';

const item = (prefix: string, i: number) => ({
  externalRef: `${prefix}-${i}`,
  url: `http://img${i % 5}.zz-ingest-${i % 4999}.com/p/${i}`,
});

export async function benchIngest(deps: Deps, database: BenchDatabase, count: number) {
  const token = await benchToken(deps, 'reporter', 'hotline');
  const server = await serveOnLoopback(createApp(deps).fetch);
  try {
    const batchSize = 5000;
    const batches = (prefix: string) =>
      timed(async () => {
        for (let start = 0; start < count; start += batchSize) {
          const body = JSON.stringify({
            reports: Array.from({ length: Math.min(batchSize, count - start) }, (_, k) => item(prefix, start + k)),
          });
          const res = await fetch(`${server.url}/v1/reports`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body,
          });
          if (!res.ok) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
        }
      });
    // Without the trigger first, so the table's growth, if anything, favours the run without.
    const trigger = (on: boolean) =>
      deps.db.execute(sql.raw(`alter table reports ${on ? 'enable' : 'disable'} trigger reports_evidence_insert`));
    await trigger(false);
    const untriggered = await batches('plain').finally(() => trigger(true));
    const batch = await batches('batch');
    const ndjsonBody = Array.from({ length: count }, (_, i) => JSON.stringify(item('nd', i))).join('\n');
    const ndjson = await timed(async () => {
      const res = await fetch(`${server.url}/v1/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
        body: ndjsonBody,
      });
      const text = await res.text();
      if (!res.ok || !text.includes(`"created":${count}`))
        throw new Error(`ndjson answered ${res.status}: ${text.slice(-200)}`);
    });
    const organisationId = (await deps.db.select({ id: reports.organisationId }).from(reports).limit(1))[0]!.id;
    const rows = Array.from({ length: count }, (_, i) => {
      const { externalRef, url } = item('raw', i);
      const c = canonicalize(url) as { url: string; host: string; domain: string; listKey: string };
      return {
        organisation_id: organisationId,
        external_ref: externalRef,
        url,
        url_canonical: c.url,
        host: c.host,
        domain: c.domain,
        list_key: c.listKey,
      };
    });
    const raw = await timed(() => rawInsert(deps, database, rows));
    const perSec = (ms: number) => Math.round(count / (ms / 1000));
    const batchPerSec = perSec(batch.ms);
    const ndjsonPerSec = perSec(ndjson.ms);
    const rawPerSec = perSec(raw.ms);
    return {
      reports: count,
      batchPerSec,
      ndjsonPerSec,
      rawPerSec,
      ratio: round(Math.min(batchPerSec, ndjsonPerSec) / rawPerSec),
      untriggeredBatchPerSec: perSec(untriggered.ms),
      /** Batch intake with the evidence trigger over without it (target >= 0.9). */
      triggerRatio: round(batchPerSec / perSec(untriggered.ms)),
    };
  } finally {
    await server.close();
  }
}

type RawRow = Record<string, string | number>;

/** The floor: multi-row inserts of the canonical rows, 1000 a statement, in one transaction (postgres.js on PostgreSQL). */
async function rawInsert(deps: Deps, database: BenchDatabase, rows: RawRow[]): Promise<void> {
  if (database.url) {
    const client = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      await client.begin(async (tx) => {
        for (let i = 0; i < rows.length; i += 1000) await tx`insert into reports ${tx(rows.slice(i, i + 1000))}`;
      });
    } finally {
      await client.end();
    }
    return;
  }
  // PGlite: the same multi-row statements through its own client, without drizzle.
  const client = (deps.db as unknown as { $client: { query(text: string, params: unknown[]): Promise<unknown> } })
    .$client;
  const columns = ['organisation_id', 'external_ref', 'url', 'url_canonical', 'host', 'domain', 'list_key'];
  await client.query('begin', []);
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    await client.query(
      `insert into reports (${columns.join(', ')}) values ${values.join(', ')}`,
      chunk.flatMap((row) => columns.map((c) => row[c])),
    );
  }
  await client.query('commit', []);
}
