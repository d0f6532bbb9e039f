/**
 * `worstof pull`: what an ISP runs from cron. Fetch the manifest, verify it against the
 * pinned (or fetched) JWK Set, refuse an expired manifest, a rollback or a fork, fetch the
 * artifact of exactly that version, check its sha256, then replace the output file
 * atomically. Any failed check exits non-zero and leaves the output file untouched.
 */
import { spawn } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { JWK } from 'jose';
import { formats } from '../core/formats.ts';
import type { ManifestPayload } from '../core/manifest.ts';
import { sha256Hex } from '../core/tokens.ts';
import {
  type AcceptedState,
  checkArtifact,
  checkChain,
  checkProgress,
  VerificationError,
  verifyManifest,
} from '../core/verify.ts';
import { parseOptions, required, UsageError } from './args.ts';

const usage =
  'worstof pull --server URL --token T --format rpz --out FILE [--state FILE] [--jwks FILE] [--exec "rndc reload"]';
/** Exit code for a snapshot that failed a check (distinct from 1, a network or usage problem). */
export const EXIT_REFUSED = 4;

export async function pullCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      server: { type: 'string' },
      token: { type: 'string' },
      format: { type: 'string', default: 'txt' },
      out: { type: 'string' },
      state: { type: 'string' },
      jwks: { type: 'string' },
      exec: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    usage,
  );
  const server = required(values.server, 'server', usage).replace(/\/+$/, '');
  const token = required(values.token ?? process.env.WOL_TOKEN, 'token', usage);
  const out = required(values.out, 'out', usage);
  const format = values.format ?? 'txt';
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  const stateFile = values.state ?? `${out}.state.json`;
  const say = (line: string) => values.quiet || process.stderr.write(`${line}\n`);
  const get = (path: string) => fetchOk(`${server}${path}`, token);

  try {
    const jwks = values.jwks
      ? await readJson<{ keys: JWK[] }>(values.jwks)
      : JSON.parse(await (await get('/.well-known/jwks.json')).text());
    const last = await readJson<AcceptedState>(stateFile).catch(() => null);
    const manifestText = (await (await get('/v1/list/manifest')).text()).trim();
    const manifest = await verifyManifest(manifestText, jwks, new Date());
    const manifestSha256 = sha256Hex(manifestText);
    checkProgress(manifest, manifestSha256, last);
    if (last) await checkChain(async (v) => (await get(`/v1/list/${v}/manifest`)).text(), jwks, manifest, last);

    const current = await readFile(out).catch(() => null);
    if (
      last?.version === manifest.version &&
      current &&
      sha256Hex(current) === manifest.artifacts[format as Format]?.sha256
    ) {
      say(`version ${manifest.version} is current: nothing to do`);
      return 0;
    }
    const bytes = new Uint8Array(await (await get(`/v1/list/${manifest.version}.${format}`)).arrayBuffer());
    checkArtifact(manifest, format, bytes);

    await atomicWrite(out, bytes);
    await atomicWrite(
      stateFile,
      `${JSON.stringify({ version: manifest.version, manifestSha256 } satisfies AcceptedState)}\n`,
    );
    say(`version ${manifest.version}: ${manifest.entries.count} entries written to ${out}`);
    if (values.exec) return await run(values.exec);
    return 0;
  } catch (error) {
    if (error instanceof VerificationError) {
      process.stderr.write(`worstof pull: refused (${error.code}): ${error.message}; ${out} is unchanged\n`);
      return EXIT_REFUSED;
    }
    throw error;
  }
}

type Format = keyof ManifestPayload['artifacts'];

async function fetchOk(url: string, token: string): Promise<Response> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) {
    const text = await response.text();
    let detail = text.slice(0, 200);
    try {
      detail = JSON.parse(text).detail ?? detail;
    } catch {}
    throw new Error(`${url} answered ${response.status}: ${detail}`);
  }
  return response;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Write beside, then rename: readers see the old file or the new one, never half of one. */
async function atomicWrite(file: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

function run(command: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}
