/**
 * `worstof verify --manifest FILE --jwks FILE [--artifact FILE [--format F]]`: the pull checks,
 * offline. With `--upstream-jwks`, a national list's whole chain (core/chain.ts): the json
 * artifact, the upstream manifest it was built from and that upstream version's entries.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import { verifyChain } from '../core/chain.ts';
import { checkArtifact, VerificationError, verifyManifest } from '../core/verify.ts';
import { parseOptions, required, UsageError } from './args.ts';
import { EXIT_REFUSED } from './pull.ts';

const usage =
  'worstof verify --manifest FILE --jwks FILE [--artifact FILE [--format txt|json|csv|hosts|rpz|unbound|sha256]]\n' +
  '       [--upstream-jwks FILE --upstream-manifest FILE --upstream-entries FILE] (a national list: --artifact is its json)';

const readJwks = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as { keys: JWK[] };

export async function verifyCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      manifest: { type: 'string' },
      jwks: { type: 'string' },
      artifact: { type: 'string' },
      format: { type: 'string' },
      'upstream-jwks': { type: 'string' },
      'upstream-manifest': { type: 'string' },
      'upstream-entries': { type: 'string' },
    },
    usage,
  );
  const manifestText = await readFile(required(values.manifest, 'manifest', usage), 'utf8');
  const jwks = await readJwks(required(values.jwks, 'jwks', usage));
  const format = values.artifact ? (values.format ?? path.extname(values.artifact).slice(1)) : undefined;
  const chain = values['upstream-jwks']
    ? {
        jwks: await readJwks(values['upstream-jwks']),
        manifest: await readFile(required(values['upstream-manifest'], 'upstream-manifest', usage), 'utf8'),
        entries: new Uint8Array(await readFile(required(values['upstream-entries'], 'upstream-entries', usage))),
      }
    : null;
  if (chain && format !== 'json') throw new UsageError('--upstream-jwks needs --artifact with the json artifact');
  try {
    const manifest = await verifyManifest(manifestText, jwks, new Date());
    let line = `manifest of version ${manifest.version} verifies (${manifest.entries.count} entries, valid until ${new Date(manifest.exp * 1000).toISOString()})`;
    if (values.artifact && format) {
      const bytes = new Uint8Array(await readFile(values.artifact));
      checkArtifact(manifest, format, bytes);
      line += `; ${values.artifact} is its ${format} artifact`;
      if (chain) {
        const checked = await verifyChain({
          manifest,
          json: bytes,
          upstreamManifest: chain.manifest,
          upstreamJwks: chain.jwks,
          upstreamEntries: chain.entries,
        });
        line += `; built from upstream version ${checked.upstreamVersion}, signed by a pinned upstream key: ${checked.upstream} upstream entries all in it, ${checked.national} national`;
      }
    }
    process.stdout.write(`${line}\n`);
    return 0;
  } catch (error) {
    if (error instanceof VerificationError) {
      process.stderr.write(`worstof verify: refused (${error.code}): ${error.message}\n`);
      return EXIT_REFUSED;
    }
    throw error;
  }
}
