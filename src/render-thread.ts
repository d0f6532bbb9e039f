/**
 * Node: renders a build's artifacts on a worker thread, so the serving thread keeps answering
 * pulls and /healthz while a large build renders, compresses and hashes (issue: a 105k-entry
 * build held pulls for seconds). One thread per process, started on the first build; requests
 * are answered in order and the results' buffers are transferred, not copied. On PostgreSQL,
 * serve runs the whole build on build-thread.ts instead, which renders inline there.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Entry, RenderContext } from './core/formats.ts';
import { type ArtifactRenderer, type RenderedArtifacts, renderArtifacts } from './services/artifact-rendering.ts';
import { answerRequests, threadClient } from './thread-client.ts';

interface Request {
  entries: readonly Entry[];
  context: RenderContext;
}

const MODULE = import.meta.url;

if (workerData?.module === MODULE && parentPort)
  answerRequests<Request, RenderedArtifacts, string>(
    parentPort,
    async ({ entries, context }) => {
      const rendered = renderArtifacts(entries, context);
      const buffers = Object.values(rendered).flatMap((a) => [a.bytes.buffer, a.gzip.buffer]);
      return { result: rendered, transfer: [...new Set(buffers)] as ArrayBuffer[] };
    },
    (error) => (error instanceof Error ? error.message : String(error)),
  );

export interface ThreadRenderer {
  render: ArtifactRenderer;
  close: () => Promise<void>;
}

export function threadRenderer(): ThreadRenderer {
  const client = threadClient<Request, RenderedArtifacts, string>({
    module: MODULE,
    revive: (message) => new Error(message),
    name: 'render thread',
  });
  return { render: (entries, context) => client.call({ entries, context }), close: client.close };
}
