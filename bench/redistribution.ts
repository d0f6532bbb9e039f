/**
 * National redistribution (issue 17): from the start of a central build that lists a new
 * domain to that domain in a national ISP's pull of the national latest.txt, over real HTTP
 * between two instances with their own databases, `entries` domains already listed. Once with
 * the national instance polling every `pollSeconds`, once with the central webhook's
 * notification to /v1/upstream/notify (no poll). No explicit national build: a new upstream
 * version triggers it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { createApp } from '../src/http/app.ts';
import { startDebouncedBuilds } from '../src/schedule/debounce.ts';
import { startUpstreamPoll } from '../src/schedule/upstream-poll.ts';
import { buildSnapshot } from '../src/services/build.ts';
import { systemCaller } from '../src/services/caller.ts';
import { publishedJwks } from '../src/services/keys.ts';
import { nodeWebhookSender } from '../src/services/node-webhook-sender.ts';
import { benchDeps } from './context.ts';
import { openBenchDatabase } from './database.ts';
import { median } from './measure.ts';
import { resetEvidence, seedOrganisations, seedQualifying } from './seed.ts';
import { benchToken, serveOnLoopback } from './server.ts';

export interface RedistributionFigure {
  entries: number;
  pollSeconds: number;
  /** Central build started -> the new domain in the national ISP's latest.txt (median of the runs). */
  pollMs: number;
  notifyMs: number;
  /** The central build alone, for comparison (median). */
  centralBuildMs: number;
  runs: number;
}

export async function benchRedistribution(
  central: Deps,
  entries: number,
  pollSeconds: number,
  runs = 3,
): Promise<RedistributionFigure> {
  await resetEvidence(central.db);
  await seedQualifying(central.db, entries, new Date());
  const centralDeps: Deps = {
    ...central,
    // The national instance listens on loopback: the operator allows it, as for a private link.
    config: {
      ...central.config,
      WOL_WEBHOOK_ALLOW: loadConfig({ WOL_WEBHOOK_ALLOW: '127.0.0.1/32' }).WOL_WEBHOOK_ALLOW,
    },
    sendWebhook: nodeWebhookSender,
  };
  await buildSnapshot(centralDeps, { caller: systemCaller, input: { trigger: 'cli' } });
  const centralServer = await serveOnLoopback(createApp(centralDeps).fetch);
  const ncb = await benchToken(centralDeps, 'ncb', 'ncb');

  const database = await openBenchDatabase();
  const jwksFile = path.join(database.dir, 'central-jwks.json');
  await writeFile(jwksFile, JSON.stringify(await publishedJwks(centralDeps)));
  const base = await benchDeps(database);
  await seedOrganisations(base.db);
  const national: Deps = {
    ...base,
    config: loadConfig({
      DATA_DIR: database.dir,
      LOG_LEVEL: 'silent',
      WOL_UPSTREAM_URL: centralServer.url,
      WOL_UPSTREAM_TOKEN: ncb,
      WOL_UPSTREAM_JWKS: jwksFile,
      WOL_UPSTREAM_POLL: String(pollSeconds),
    }),
  };
  const builds = startDebouncedBuilds(national, 0);
  const wired: Deps = { ...national, upstreamChanged: builds.trigger };
  const nationalServer = await serveOnLoopback(createApp(wired).fetch);
  const isp = await benchToken(national, 'isp', 'isp');
  const inNationalList = async (domain: string) => {
    const res = await fetch(`${nationalServer.url}/v1/list/latest.txt`, {
      headers: { authorization: `Bearer ${isp}` },
    });
    return res.status === 200 && (await res.text()).split('\n').includes(domain);
  };
  const centralBuilds: number[] = [];
  /** One new domain centrally, built, then polled for in the national list as an eager ISP would (every 100 ms). */
  const measure = async (label: string, run: number) => {
    const prefix = `zz-redis-${label}-${run}-`;
    await seedQualifying(centralDeps.db, 1, new Date(), prefix);
    const started = performance.now();
    const built = await buildSnapshot(centralDeps, { caller: systemCaller, input: { trigger: 'cli' } });
    centralBuilds.push(built.durationMs);
    for (;;) {
      if (await inNationalList(`${prefix}1.com`)) return performance.now() - started;
      if (performance.now() - started > pollSeconds * 1000 + 600_000) throw new Error('never in the national list');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const polls: number[] = [];
  const notifies: number[] = [];
  try {
    const poll = startUpstreamPoll(wired, pollSeconds);
    try {
      // The first sync and national build (the whole list) before measuring.
      const started = performance.now();
      while (!(await inNationalList('zz-list-1.com'))) {
        if (performance.now() - started > 600_000) throw new Error('the first national build never came');
        await new Promise((r) => setTimeout(r, 200));
      }
      for (let run = 0; run < runs; run++) polls.push(await measure('poll', run));
    } finally {
      await poll.stop();
    }
    const hook = await fetch(`${centralServer.url}/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ncb}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${nationalServer.url}/v1/upstream/notify` }),
    });
    if (hook.status !== 201) throw new Error(`webhook answered ${hook.status}: ${await hook.text()}`);
    for (let run = 0; run < runs; run++) notifies.push(await measure('notify', run));
  } finally {
    await builds.stop();
    await nationalServer.close();
    await centralServer.close();
    await database.drop();
  }
  return {
    entries,
    pollSeconds,
    pollMs: Math.round(median(polls)),
    notifyMs: Math.round(median(notifies)),
    centralBuildMs: Math.round(median(centralBuilds)),
    runs,
  };
}
