/**
 * Pull throughput with autocannon over real HTTP: latest.txt answered 304, and answered 200
 * with a 100k-entry artifact gzipped, each against a bare Hono route in this same process
 * returning the same bytes from memory. Then the size of a 1% change against the full list.
 */
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { getArtifact } from '../src/db/repositories/snapshots.ts';
import type { Deps } from '../src/deps.ts';
import { createApp } from '../src/http/app.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
import { round } from './measure.ts';
import { resetEvidence, seedQualifying } from './seed.ts';
import { benchToken, serveOnLoopback } from './server.ts';

interface Load {
  rps: number;
  p99Ms: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Load> {
  const result = await autocannon({ url, connections: 16, duration: seconds, headers });
  return { rps: Math.round(result.requests.average), p99Ms: result.latency.p99, non2xx: result.non2xx };
}

export async function benchPull(deps: Deps, entries: number, seconds: number, log: (line: string) => void) {
  await resetEvidence(deps.db);
  await seedQualifying(deps.db, entries, new Date());
  const first = await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } });
  log(`  built version ${first.version} with ${first.entryCount} entries`);
  const token = await benchToken(deps, 'isp', 'isp');
  const auth = { authorization: `Bearer ${token}` };

  const ours = await serveOnLoopback(createApp(deps).fetch);
  // The same bytes the service serves, held in memory for the bare route (fetch would gunzip them).
  const artifact = (await getArtifact(deps.db, first.version, 'txt'))!;
  const gzipBytes = artifact.gzip;
  const etag = `"${artifact.sha256}"`;
  const gzipEtag = `"${artifact.sha256}+gzip"`;
  const txtBytes = artifact.bytes.byteLength;

  const bareApp = new Hono();
  bareApp.get('/v1/list/latest.txt', (c) => {
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag });
    return c.body(gzipBytes as Uint8Array<ArrayBuffer>, 200, {
      'content-encoding': 'gzip',
      etag: gzipEtag,
      'content-type': 'text/plain; charset=utf-8',
    });
  });
  const bare = await serveOnLoopback(bareApp.fetch);
  try {
    const path = '/v1/list/latest.txt';
    const notModified = { ...auth, 'if-none-match': etag };
    const full = { ...auth, 'accept-encoding': 'gzip' };
    const ours304 = await load(ours.url + path, notModified, seconds);
    const bare304 = await load(bare.url + path, notModified, seconds);
    const ours200 = await load(ours.url + path, full, seconds);
    const bare200 = await load(bare.url + path, full, seconds);

    // 1% churn: exclude 0.5% of the keys, add 0.5% new ones, build, compare the change with the whole list.
    const churn = Math.max(1, Math.floor(entries / 200));
    await deps.db.execute(
      sql`insert into exclusions (list_key, state, reason) select 'zz-list-' || k || '.com', 'excluded', 'bench churn' from generate_series(1, ${churn}) k`,
    );
    await seedQualifying(deps.db, churn, new Date(), 'zz-new-');
    const next = await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } });
    const changes = await fetch(`${ours.url}/v1/list/changes?since=${next.version - 1}`, { headers: auth });
    const changeBytes = (await changes.arrayBuffer()).byteLength;
    const fullBytes = (await (await fetch(`${ours.url}/v1/list/latest.txt`, { headers: auth })).arrayBuffer())
      .byteLength;

    return {
      pull: {
        entries: first.entryCount,
        txtBytes,
        gzipBytes: gzipBytes.byteLength,
        notModified: {
          rps: ours304.rps,
          bareRps: bare304.rps,
          ratio: round(ours304.rps / bare304.rps),
          p99Ms: ours304.p99Ms,
          bareP99Ms: bare304.p99Ms,
        },
        full: {
          rps: ours200.rps,
          bareRps: bare200.rps,
          ratio: round(ours200.rps / bare200.rps),
          p99Ms: ours200.p99Ms,
          bareP99Ms: bare200.p99Ms,
        },
      },
      changes: {
        churn: `${next.added} added, ${next.removed} removed`,
        changeBytes,
        fullBytes,
        ratio: round(changeBytes / fullBytes, 4),
      },
    };
  } finally {
    await ours.close();
    await bare.close();
  }
}
