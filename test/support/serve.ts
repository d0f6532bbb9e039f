/**
 * `worstof serve` as a real child process (node bin/worstof.js serve, or another command
 * that runs it, such as npm start), as operators run it: its own PORT (0: any free one, read
 * from the start-up log line), DATA_DIR and database.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Served {
  url: string;
  child: ChildProcess;
  /** Everything the process has written so far (JSON log lines), stdout and stderr. */
  output: () => string;
  /** The JSON log lines written so far. */
  lines: () => Record<string, unknown>[];
  /** The exit code (a signal that killed it counts as 128 + its number). */
  exited: Promise<number>;
  stop: (signal?: NodeJS.Signals) => Promise<number>;
  /** Resolves once a log line with this message has been written. */
  waitFor: (msg: string, timeoutMs?: number) => Promise<void>;
}

const SIGNALS: Record<string, number> = { SIGTERM: 15, SIGINT: 2, SIGKILL: 9 };

export interface ServeOptions {
  /** The program and its arguments; `node bin/worstof.js serve` unless told. */
  command?: string[];
  /** Its own process group, whose id is the child's pid, so a signal can go to the whole group. */
  detached?: boolean;
  timeoutMs?: number;
}

export async function startServe(env: Record<string, string>, options: ServeOptions = {}): Promise<Served> {
  const { command = [process.execPath, 'bin/worstof.js', 'serve'], detached = false, timeoutMs = 60_000 } = options;
  const [program = process.execPath, ...args] = command;
  const child = spawn(program, args, {
    detached,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      WOL_BUILD_CRON: 'off',
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    text += chunk;
  });
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0))),
  );
  const lines = () =>
    text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${text}`)), timeoutMs);
    const look = () => {
      const serving = lines().find((l) => l.msg === 'worstof is serving');
      if (serving) {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        resolve(serving.port as number);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before serving:\n${text}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => text,
    lines,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    waitFor: async (msg, waitMs = 30_000) => {
      for (let waited = 0; !lines().some((l) => l.msg === msg); waited += 50) {
        if (waited > waitMs) throw new Error(`no ${JSON.stringify(msg)} in the log:\n${text}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
