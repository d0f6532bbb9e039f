// Starts a worker thread (render-thread.ts, build-thread.ts): the sources are TypeScript, loaded
// through tsx as bin/worstof.js loads the CLI; workerData.module names the one to run.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
