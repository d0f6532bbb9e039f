/**
 * `worstof keys list` and `worstof keys rotate`. Rotation makes a new active key; the old
 * one stays in the published key set (retiring) until every manifest it signed has expired.
 */
import { loadConfig } from '../config.ts';
import { allKeyRows } from '../db/repositories/keys.ts';
import { createLogger } from '../logger.ts';
import { openNode } from '../node.ts';
import { rotateSigningKey } from '../services/keys.ts';
import { UsageError } from './args.ts';

const usage = 'worstof keys list | worstof keys rotate';

export async function keysCommand(args: string[]): Promise<number> {
  const [action] = args;
  if (action !== 'list' && action !== 'rotate') throw new UsageError(`usage: ${usage}`);
  const config = loadConfig(process.env);
  if (action === 'rotate' && config.WOL_SIGNING_KEY)
    throw new Error('WOL_SIGNING_KEY is set: rotate by setting it to a new key (the old one is kept as retiring)');
  const { deps, database } = await openNode(config, createLogger('warn'));
  try {
    if (action === 'rotate') {
      const { kid, previous } = await rotateSigningKey(deps);
      process.stdout.write(
        `active key ${kid}${previous ? `; ${previous} is retiring until its manifests expire` : ''}\n`,
      );
    }
    for (const row of await allKeyRows(deps.db))
      process.stdout.write(
        `${row.kid}  ${row.state.padEnd(8)}  created ${row.createdAt.toISOString()}  ${row.privateRef}\n`,
      );
    return 0;
  } finally {
    await database.close();
  }
}
