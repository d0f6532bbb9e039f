/**
 * Node: renders a build's artifacts on a worker thread, so the serving thread keeps answering
 * pulls and /healthz while a large build renders, compresses and hashes (issue: a 105k-entry
 * build held pulls for seconds). One thread per process, started on the first build; requests
 * are answered in order and the results' buffers are transferred, not copied.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Entry, RenderContext } from './core/formats.ts';
import { type ArtifactRenderer, type RenderedArtifacts, renderArtifacts } from './services/artifact-rendering.ts';

interface Request {
  id: number;
  entries: readonly Entry[];
  context: RenderContext;
}
type Answer = { id: number; rendered: RenderedArtifacts } | { id: number; error: string };

const MARK = 'worstof-render-thread';

if (workerData === MARK && parentPort) {
  const port = parentPort;
  port.on('message', ({ id, entries, context }: Request) => {
    try {
      const rendered = renderArtifacts(entries, context);
      const buffers = Object.values(rendered).flatMap((a) => [a.bytes.buffer, a.gzip.buffer]);
      port.postMessage({ id, rendered } satisfies Answer, [...new Set(buffers)] as ArrayBuffer[]);
    } catch (error) {
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies Answer);
    }
  });
}

export interface ThreadRenderer {
  render: ArtifactRenderer;
  close: () => Promise<void>;
}

export function threadRenderer(): ThreadRenderer {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: RenderedArtifacts) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    worker = null;
  };
  const start = (): Worker => {
    const w = new Worker(new URL('./render-thread-boot.js', import.meta.url), { workerData: MARK });
    w.on('message', (answer: Answer) => {
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if ('error' in answer) p.reject(new Error(answer.error));
      else p.resolve(answer.rendered);
      if (pending.size === 0) w.unref();
    });
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`the render thread exited with ${code}`)));
    return w;
  };

  return {
    render(entries, context) {
      worker ??= start();
      worker.ref();
      const id = nextId++;
      const answer = new Promise<RenderedArtifacts>((resolve, reject) => pending.set(id, { resolve, reject }));
      worker.postMessage({ id, entries, context } satisfies Request);
      return answer;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
