/** Helpers for tests that run a real program (a proxy, a resolver) on loopback. */
import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 now, for programs that cannot be given port 0. */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Polls `check` until it holds; on a timeout the error carries the program's log. */
export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  log: () => Promise<string>,
  ms = 20_000,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const text = await log().catch((error: Error) => `(no log: ${error.message})`);
  throw new Error(`${what} did not happen within ${ms / 1000} s:\n${text.slice(-4000)}`);
}
