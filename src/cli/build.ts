/**
 * `worstof build [--full] [--check]`: one build against the configured database, as the schedule
 * would run it (only the keys whose evidence changed); `--full` re-aggregates every key;
 * `--check` publishes nothing and names what an incremental build would leave otherwise than a
 * full recomputation (exit 1 when anything differs).
 */
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openNode } from '../node.ts';
import { buildSnapshot } from '../services/build.ts';
import { checkBuild } from '../services/build-check.ts';
import { systemCaller } from '../services/caller.ts';
import { parseOptions } from './args.ts';

const USAGE = 'worstof build [--full] [--check]';

export async function buildCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    { full: { type: 'boolean', default: false }, check: { type: 'boolean', default: false } },
    USAGE,
  );
  const config = loadConfig(process.env);
  const { deps, database } = await openNode(config, createLogger(process.env.LOG_LEVEL ?? 'warn'));
  try {
    if (values.check) {
      const check = await checkBuild(deps);
      process.stdout.write(`${JSON.stringify(check)}\n`);
      process.stderr.write(
        check.differences === 0
          ? `worstof build --check: the incremental build matches a full recomputation over ${check.keys} keys\n`
          : `worstof build --check: ${check.differences} differences from a full recomputation (the first ${check.examples.length} above)\n`,
      );
      return check.differences === 0 ? 0 : 1;
    }
    const result = await buildSnapshot(deps, { caller: systemCaller, input: { trigger: 'cli', full: values.full } });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    // The first attempt to each webhook is made; retries belong to a serving process.
    await deps.notifier.stop();
    await database.close();
  }
}
