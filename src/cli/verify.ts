/** `worstof verify --manifest FILE --jwks FILE [--artifact FILE [--format F]]`: the pull checks, offline. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import { checkArtifact, VerificationError, verifyManifest } from '../core/verify.ts';
import { parseOptions, required } from './args.ts';
import { EXIT_REFUSED } from './pull.ts';

const usage =
  'worstof verify --manifest FILE --jwks FILE [--artifact FILE [--format txt|json|csv|hosts|rpz|unbound|sha256]]';

export async function verifyCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      manifest: { type: 'string' },
      jwks: { type: 'string' },
      artifact: { type: 'string' },
      format: { type: 'string' },
    },
    usage,
  );
  const manifestText = await readFile(required(values.manifest, 'manifest', usage), 'utf8');
  const jwks = JSON.parse(await readFile(required(values.jwks, 'jwks', usage), 'utf8')) as { keys: JWK[] };
  try {
    const manifest = await verifyManifest(manifestText, jwks, new Date());
    let line = `manifest of version ${manifest.version} verifies (${manifest.entries.count} entries, valid until ${new Date(manifest.exp * 1000).toISOString()})`;
    if (values.artifact) {
      const format = values.format ?? path.extname(values.artifact).slice(1);
      checkArtifact(manifest, format, new Uint8Array(await readFile(values.artifact)));
      line += `; ${values.artifact} is its ${format} artifact`;
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
