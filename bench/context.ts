/** Services wired for the benchmark as the Node entry wires them, over the benchmark's database. */
import { composeDeps } from '../src/compose-deps.ts';
import { loadConfig } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { silentLogger } from '../src/logger.ts';
import { fileKeyVault } from '../src/services/file-key-vault.ts';
import { ensureSigningKey } from '../src/services/keys.ts';
import type { BenchDatabase } from './database.ts';

export async function benchDeps(database: BenchDatabase): Promise<Deps> {
  const config = loadConfig({ DATA_DIR: database.dir, LOG_LEVEL: 'silent', WOL_MAX_BODY_BYTES: String(64 * 2 ** 20) });
  const deps = composeDeps({
    db: database.db,
    config,
    clock: () => new Date(),
    log: silentLogger,
    vault: fileKeyVault(database.dir, null),
  });
  await ensureSigningKey(deps, null);
  return deps;
}
