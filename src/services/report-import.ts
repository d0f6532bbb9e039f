/**
 * Imports of any size: an NDJSON stream of reports (one ReportInput per line) read a group of
 * lines at a time, so memory does not grow with the file. Each group is one submitReports
 * batch, its own transaction: when the stream or the database fails part way, the groups
 * before stay stored and the failure is the answer. The route, and so `worstof import` and
 * the intake benchmark (both post to it), call this one verb.
 */
import { lineGroups } from '../core/ndjson.ts';
import type { Deps } from '../deps.ts';
import type { KnownSummary } from '../schemas/known.ts';
import type { BatchItemResult, ItemError } from '../schemas/reports.ts';
import type { Call } from './caller.ts';
import { submitReports } from './reports.ts';

const GROUP = 1000;
const MAX_LINE = 64 * 1024;
/** Rejections (and, apart, known items) an answer lists one by one; past this they are only counted. */
const MAX_LISTED = 10_000;

/** One line of the answer: a rejected input line, or an accepted one about which something was known. */
export type ImportLine =
  | { line: number; status: 'rejected'; error: ItemError }
  | { line: number; status: BatchItemResult['status']; id: BatchItemResult['id']; known: KnownSummary };

export interface ImportSummary {
  lines: number;
  created: number;
  existing: number;
  rejected: number;
  known: { key: number; url: number; listed: number; content: number };
}

/** Whether intake knew anything about an item: a report of its key or URL, a listing, an exclusion, a hash match. */
const knewSomething = (known: KnownSummary) =>
  known.listKey.reports > 0 || known.listKey.listed || known.listKey.excluded || known.content !== null;

/** The answer's lines in the order they arose, then the counts of all of them. */
export async function importReports(
  deps: Deps,
  { caller, input: body }: Call<ReadableStream<Uint8Array>>,
): Promise<{ lines: ImportLine[]; summary: ImportSummary }> {
  const summary = { lines: 0, created: 0, existing: 0, rejected: 0, known: { key: 0, url: 0, listed: 0, content: 0 } };
  const lines: ImportLine[] = [];
  let knownListed = 0;
  const reject = (line: number, error: ItemError) => {
    summary.rejected++;
    if (lines.length < MAX_LISTED) lines.push({ line, status: 'rejected', error });
  };
  for await (const group of lineGroups(body, GROUP, MAX_LINE)) {
    const items: unknown[] = [];
    const lineOf: number[] = [];
    for (const line of group) {
      summary.lines++;
      if (line.tooLong) {
        reject(line.number, { code: 'line_too_long', message: `the line is longer than ${MAX_LINE} characters` });
        deps.metrics?.ingest({ created: 0, existing: 0, rejectedCodes: ['line_too_long'] });
        continue;
      }
      try {
        items.push(JSON.parse(line.text));
        lineOf.push(line.number);
      } catch {
        reject(line.number, { code: 'malformed_json', message: 'the line is not valid JSON' });
        deps.metrics?.ingest({ created: 0, existing: 0, rejectedCodes: ['malformed_json'] });
      }
    }
    if (items.length === 0) continue;
    const outcome = await submitReports(deps, { caller, input: items });
    summary.created += outcome.summary.created;
    summary.existing += outcome.summary.existing;
    for (const result of outcome.results) {
      if (result.status === 'rejected' && result.error) reject(lineOf[result.index] ?? 0, result.error);
      const known = result.known;
      if (!known || !knewSomething(known)) continue;
      if (known.listKey.reports > 0) summary.known.key++;
      if (known.url.reports > 0) summary.known.url++;
      if (known.listKey.listed) summary.known.listed++;
      if (known.content) summary.known.content++;
      if (knownListed++ < MAX_LISTED)
        lines.push({ line: lineOf[result.index] ?? 0, status: result.status, id: result.id, known });
    }
  }
  return { lines, summary };
}
