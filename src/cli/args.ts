/** Option parsing shared by the commands: node:util parseArgs with a usage error that names the option. */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}`);
  }
}

export function required(value: string | undefined, name: string, usage: string): string {
  if (!value) throw new UsageError(`--${name} is required\nusage: ${usage}`);
  return value;
}
