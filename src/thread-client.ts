/**
 * The two sides of a Node worker thread that answers requests in order (render-thread.ts,
 * build-thread.ts): requests carry an id, answers the same id with a result or a failure. The
 * thread is started through thread-boot.js (the sources are TypeScript), held unref'd while
 * nothing is pending so an idle thread never keeps the process alive, and started again by
 * the next request if it exits.
 */
import { type MessagePort, type TransferListItem, Worker } from 'node:worker_threads';

type Answer<Result, Failure> = { id: number; result: Result } | { id: number; failure: Failure };

export interface ThreadClient<Request, Result> {
  call: (request: Request) => Promise<Result>;
  close: () => Promise<void>;
}

export interface ThreadSpec<Failure> {
  /** The module's import.meta.url: thread-boot.js imports it, and it recognises itself by it. */
  module: string;
  /** What else the thread is started with (workerData). */
  data?: Record<string, unknown>;
  /** What a thread's failure is on this side. */
  revive: (failure: Failure) => Error;
  name: string;
}

export function threadClient<Request, Result, Failure>(spec: ThreadSpec<Failure>): ThreadClient<Request, Result> {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    worker = null;
  };
  const start = (): Worker => {
    const w = new Worker(new URL('./thread-boot.js', import.meta.url), {
      workerData: { ...spec.data, module: spec.module },
    });
    w.unref();
    w.on('message', (answer: Answer<Result, Failure>) => {
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if ('failure' in answer) p.reject(spec.revive(answer.failure));
      else p.resolve(answer.result);
      if (pending.size === 0) w.unref();
    });
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`the ${spec.name} exited with ${code}`)));
    return w;
  };

  return {
    call(request) {
      worker ??= start();
      worker.ref();
      const id = nextId++;
      const answer = new Promise<Result>((resolve, reject) => pending.set(id, { resolve, reject }));
      worker.postMessage({ id, request });
      return answer;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

/** The thread's side: answers each request with the handler's result (its buffers transferred) or failure. */
export function answerRequests<Request, Result, Failure>(
  port: MessagePort,
  handle: (request: Request) => Promise<{ result: Result; transfer?: TransferListItem[] }>,
  describe: (error: unknown) => Failure,
): void {
  port.on('message', async ({ id, request }: { id: number; request: Request }) => {
    try {
      const { result, transfer } = await handle(request);
      port.postMessage({ id, result } satisfies Answer<Result, Failure>, transfer);
    } catch (error) {
      port.postMessage({ id, failure: describe(error) } satisfies Answer<Result, Failure>);
    }
  });
}
