/**
 * The entry of worstof-pull.mjs, the ISP client the service serves at /client/worstof-pull.mjs
 * (scripts/build-client.ts bundles it into one file): `worstof pull` itself, with its checks
 * and exit codes, for a machine that has Node 18 or later and nothing of this repository.
 * `node worstof-pull.mjs --server URL --token T --format rpz --out FILE ...`
 */
import { webcrypto } from 'node:crypto';
import { pullCommand } from './pull.ts';
import { runCommand } from './run-command.ts';

// Node 18 keeps WebCrypto under node:crypto only (the global came in 19); jose, which verifies
// the manifest, looks for the global when it is called, which is after this line.
globalThis.crypto ??= webcrypto as Crypto;
process.exitCode = await runCommand('pull', pullCommand, process.argv.slice(2));
