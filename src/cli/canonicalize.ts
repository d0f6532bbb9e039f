/** `worstof canonicalize [URL...]`: one JSON object per input, in order; a bad input never stops the others. */
import { createInterface } from 'node:readline';
import { CanonicalizeError, canonicalize } from '../core/canonicalize.ts';

export function describe(input: string): string {
  const result = canonicalize(input);
  if (result instanceof CanonicalizeError)
    return JSON.stringify({ input, error: { code: result.code, message: result.message } });
  const { url, host, listKey, kind } = result;
  return JSON.stringify({ input, url, host, listKey, kind });
}

export async function canonicalizeCommand(args: string[]): Promise<number> {
  if (args.length > 0) {
    for (const input of args) process.stdout.write(`${describe(input)}\n`);
    return 0;
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    if (!process.stdout.write(`${describe(line)}\n`)) await new Promise((r) => process.stdout.once('drain', r));
  }
  return 0;
}
