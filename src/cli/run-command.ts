/**
 * One command's run and how its failures become exit codes, shared by `worstof` (main.ts) and
 * the standalone ISP client (pull-client.ts), so both exit alike: 2 for a usage error, 1 for
 * anything else thrown (a network or server problem); a command's own codes (4: refused) pass.
 */
import { UsageError } from './args.ts';

export type Command = (args: string[]) => Promise<number>;

export async function runCommand(name: string, command: Command, args: string[]): Promise<number> {
  try {
    return await command(args);
  } catch (error) {
    process.stderr.write(`worstof ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
