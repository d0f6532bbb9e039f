/**
 * `npm run build:client` (and `prepare`, so `npm install` and `npm ci` run it): bundles
 * src/cli/pull-client.ts, `worstof pull` with everything it imports, into one ES module for
 * Node 18+ with no dependencies, the file serve answers /client/worstof-pull.mjs with. Written
 * beside and renamed, so a server starting meanwhile reads the old file or the new one whole.
 * The same sources give the same bytes, so the same sha256 everywhere they are built.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PULL_CLIENT_FILE } from '../src/pull-client-file.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, PULL_CLIENT_FILE);

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/pull-client.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  // Not minified: an ISP may read what it installs (zod, which the manifest's schema uses, is most of it).
  legalComments: 'eof',
  write: false,
  logLevel: 'warning',
  banner: {
    js: [
      '#!/usr/bin/env node',
      '// worstof-pull.mjs: the worstof ISP client (`worstof pull`), one file for Node 18 or later.',
      '// Usage: node worstof-pull.mjs --server URL --token T --format rpz --out FILE [--state FILE] [--jwks FILE] [--exec CMD]',
      '// Exit codes: 0 installed or current, 1 network or server problem, 2 usage, 4 refused (a failed check).',
    ].join('\n'),
  },
});
const bundle = result.outputFiles[0];
if (!bundle) throw new Error('esbuild produced no output');
await mkdir(path.dirname(out), { recursive: true });
const temporary = `${out}.tmp-${process.pid}`;
await writeFile(temporary, bundle.contents, { mode: 0o644 });
await rename(temporary, out);
process.stdout.write(`build:client: ${PULL_CLIENT_FILE} (${bundle.contents.byteLength} bytes)\n`);
