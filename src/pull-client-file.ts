/**
 * Node: the bundled ISP client (scripts/build-client.ts writes it at `npm install`), read once
 * at start and kept in memory with its sha256, which /client prints. The path is relative to
 * the checkout, not the working directory, so serve finds it wherever it is started from.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from './core/tokens.ts';
import type { PullClient } from './deps.ts';

/** Where the bundle is written and read, from the root of the checkout (git-ignored). */
export const PULL_CLIENT_FILE = 'build/client/worstof-pull.mjs';

export const pullClientPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', PULL_CLIENT_FILE);

/** Throws as readFile does (ENOENT: not built); serve then starts without it and says so. */
export async function loadPullClient(file = pullClientPath): Promise<PullClient> {
  const script = new Uint8Array(await readFile(file));
  return { script, sha256: sha256Hex(script) };
}
