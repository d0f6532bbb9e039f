// Starts a worker thread (render-thread.ts, build-thread.ts): the sources are TypeScript, loaded
// through tsx as bin/worstof.js loads the CLI; workerData.module names the one to run.
import os from 'node:os';
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// On Linux each thread has its own nice value, and setPriority(0) sets the calling thread's:
// when the cores are busy, a build's CPU work waits for the serving thread, not the reverse.
// Elsewhere it would renice the whole process, so there the thread runs at the process's.
if (process.platform === 'linux') os.setPriority(0, Math.min(19, os.getPriority(0) + 10));

register();
await import(workerData.module);
