/**
 * `worstof import FILE.ndjson --server URL --token T [--rejects FILE] [--batch N]`: streams a
 * file of reports (one JSON object per line) through POST /v1/reports as NDJSON, a batch
 * of lines per request, with a progress line; rejected lines go verbatim to --rejects.
 */
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseOptions, required } from './args.ts';
import { createProgress } from './progress.ts';

const usage = 'worstof import FILE.ndjson --server URL --token T [--rejects FILE] [--batch N]';

interface Answer {
  line?: number;
  error?: { code: string; message: string };
  summary?: {
    lines: number;
    created: number;
    existing: number;
    rejected: number;
    /** Accepted lines about which something was known before: a report of the key or URL, a listing, a hash match. */
    known?: { key: number; url: number; listed: number; content: number };
  };
}

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      server: { type: 'string' },
      token: { type: 'string' },
      rejects: { type: 'string' },
      batch: { type: 'string', default: '5000' },
    },
    usage,
  );
  const file = required(positionals[0], 'FILE', usage);
  const server = required(values.server, 'server', usage).replace(/\/+$/, '');
  const token = required(values.token ?? process.env.WOL_TOKEN, 'token', usage);
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new Error('--batch must be 1 to 100000');

  const size = (await stat(file)).size;
  const totals = { lines: 0, created: 0, existing: 0, rejected: 0 };
  const known = { key: 0, url: 0, listed: 0, content: 0 };
  const rejects: string[] = [];
  const firstErrors: string[] = [];
  const progress = createProgress('import');
  let bytes = 0;
  let batch: string[] = [];
  let firstLine = 1;

  const send = async () => {
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    const answers = await post(server, token, lines);
    for (const answer of answers) {
      if (answer.summary) {
        totals.lines += answer.summary.lines;
        totals.created += answer.summary.created;
        totals.existing += answer.summary.existing;
        totals.rejected += answer.summary.rejected;
        for (const k of Object.keys(known) as (keyof typeof known)[]) known[k] += answer.summary.known?.[k] ?? 0;
      } else if (answer.line && answer.error) {
        // The server numbers the lines of its request, blank ones included: map back to the file's.
        const fileLine = firstLine + answer.line - 1;
        rejects.push(lines[answer.line - 1] ?? '');
        if (firstErrors.length < 10)
          firstErrors.push(`  line ${fileLine}: ${answer.error.code}: ${answer.error.message}`);
      }
    }
    firstLine += lines.length;
    progress.update(totals.lines, totals.rejected, size ? bytes / size : 1);
  };

  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    bytes += Buffer.byteLength(line) + 1;
    batch.push(line);
    if (batch.length >= batchSize) await send();
  }
  await send();
  progress.finish();

  if (values.rejects) await writeFile(values.rejects, rejects.length ? `${rejects.join('\n')}\n` : '');
  process.stdout.write(
    `imported ${file}: ${totals.lines} lines, ${totals.created} created, ${totals.existing} already there, ${totals.rejected} rejected\n` +
      `known before: ${known.key} on a reported domain, ${known.url} at a reported URL, ` +
      `${known.listed} on a listed domain, ${known.content} matching classified content\n`,
  );
  if (firstErrors.length) process.stderr.write(`first rejections:\n${firstErrors.join('\n')}\n`);
  if (totals.rejected && values.rejects) process.stderr.write(`rejected lines written to ${values.rejects}\n`);
  return totals.rejected ? 3 : 0;
}

async function post(server: string, token: string, lines: string[]): Promise<Answer[]> {
  const response = await fetch(`${server}/v1/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: `${lines.join('\n')}\n`,
  });
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 300);
    try {
      detail = JSON.parse(text).detail ?? detail;
    } catch {}
    throw new Error(`the server answered ${response.status}: ${detail}`);
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Answer);
}
