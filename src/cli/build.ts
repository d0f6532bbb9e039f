/** `worstof build`: one build against the configured database, as the schedule would run it. */
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openNode } from '../node.ts';
import { buildSnapshot } from '../services/build.ts';
import { systemCaller } from '../services/caller.ts';

export async function buildCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const { deps, database } = await openNode(config, createLogger(process.env.LOG_LEVEL ?? 'warn'));
  try {
    const result = await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli' } });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    // The first attempt to each webhook is made; retries belong to a serving process.
    await deps.notifier.stop();
    await database.close();
  }
}
