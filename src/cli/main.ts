/** `worstof <command>`: the command line. Each command lives in its own file. */
import { backupCommand, restoreCommand } from './backup.ts';
import { buildCommand } from './build.ts';
import { canonicalizeCommand } from './canonicalize.ts';
import { importCommand } from './import.ts';
import { keysCommand } from './keys.ts';
import { migrateCommand } from './migrate.ts';
import { pullCommand } from './pull.ts';
import { type Command, runCommand } from './run-command.ts';
import { serveCommand } from './serve.ts';
import { verifyCommand } from './verify.ts';

const commands: Record<string, { run: Command; help: string }> = {
  serve: { run: serveCommand, help: 'serve the API and run the build schedule (what npm start runs)' },
  migrate: { run: migrateCommand, help: 'create or upgrade the database schema' },
  canonicalize: { run: canonicalizeCommand, help: 'canonicalise URLs given as arguments or one per line on stdin' },
  build: {
    run: buildCommand,
    help: 'build now: a new signed version if the list changed (--full: every key; --full --check: compare)',
  },
  backup: { run: backupCommand, help: 'write the whole state (database and signing keys) to FILE: backup FILE' },
  restore: { run: restoreCommand, help: 'bring a backup FILE back into an empty DATA_DIR: restore FILE' },
  keys: { run: keysCommand, help: 'signing keys: keys list | keys rotate' },
  pull: { run: pullCommand, help: 'ISP client: fetch, verify and install the newest list (see the README)' },
  verify: { run: verifyCommand, help: 'check a manifest (and an artifact) against a JWK Set, offline' },
  import: {
    run: importCommand,
    help: 'stream an NDJSON file of reports to a server: import FILE --server URL --token T',
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!name || !command) {
    const list = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(14)} ${c.help}`);
    const out = `usage: worstof <command> [options]\n\ncommands:\n${list.join('\n')}\n`;
    if (name && name !== 'help' && name !== '--help') {
      process.stderr.write(`worstof: unknown command ${JSON.stringify(name)}\n\n${out}`);
      return 2;
    }
    process.stdout.write(out);
    return 0;
  }
  return runCommand(name, command.run, args);
}
