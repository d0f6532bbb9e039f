#!/usr/bin/env node
// `npm run deploy:check`: bundle the Workers entry the way `wrangler deploy` would
// (`--dry-run --outdir dist`, no login, no network), then check the bundle: its gzipped size
// stays under Cloudflare's 1 MiB limit, and nothing Node-only (PGlite, node-cron, pino, the
// Node database, key-file and webhook-resolving modules) was pulled in. Exits 1 on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const LIMIT_BYTES = 1024 * 1024;
const FORBIDDEN = [
  'node_modules/@electric-sql/pglite/',
  'node_modules/node-cron/',
  'node_modules/pino/',
  'src/db/client.ts',
  'src/db/migrate.ts',
  'src/node.ts',
  'src/logger.ts',
  'src/services/file-key-vault.ts',
  'src/services/node-webhook-sender.ts',
  'src/pull-client-file.ts',
  'src/schedule/',
  'src/cli/',
];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const xdg = path.join(root, '.xdg');
mkdirSync(xdg, { recursive: true });
const wrangler = path.join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

const run = spawnSync(
  process.execPath,
  [wrangler, 'deploy', '--dry-run', '--outdir', 'dist', '--metafile', 'dist/meta.json'],
  {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      // wrangler keeps its state in the project, never in the home folder, and asks nothing online.
      XDG_CONFIG_HOME: xdg,
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_SEND_METRICS: 'false',
      CI: 'true',
    },
  },
);
process.stdout.write(run.stdout ?? '');
process.stderr.write(run.stderr ?? '');
if (run.status !== 0) {
  console.error(`deploy:check: wrangler deploy --dry-run failed (exit ${run.status})`);
  process.exit(1);
}

const failures = [];
const bundle = readFileSync(path.join(root, 'dist', 'worker.js'));
const gzipped = gzipSync(bundle, { level: 9 }).byteLength;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `deploy:check: bundle dist/worker.js is ${kib(bundle.byteLength)}, ${kib(gzipped)} gzipped (limit 1024 KiB)`,
);
if (gzipped > LIMIT_BYTES) failures.push(`the bundle is ${kib(gzipped)} gzipped, over the 1 MiB limit`);

const meta = JSON.parse(readFileSync(path.join(root, 'dist', 'meta.json'), 'utf8'));
const inputs = Object.keys(meta.outputs['dist/worker.js']?.inputs ?? {});
if (inputs.length === 0) failures.push('the metafile lists no inputs for dist/worker.js');
for (const input of inputs) {
  const hit = FORBIDDEN.find((forbidden) =>
    forbidden.startsWith('src/') ? input.startsWith(forbidden) : input.includes(forbidden),
  );
  if (hit) failures.push(`the bundle includes ${input}: Node-only code (${hit}) must not reach src/worker.ts`);
}

if (failures.length > 0) {
  for (const failure of failures) console.error(`deploy:check: ${failure}`);
  process.exit(1);
}
console.log('deploy:check: ok');
