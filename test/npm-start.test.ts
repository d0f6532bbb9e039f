/**
 * `npm start` stops in order, as a supervisor stops it: SIGTERM to npm (the main process) or
 * to its whole process group reaches the server once, which logs 'stopping' and 'stopped' and
 * exits 0; npm exits with it and no process of the group is left, nor anything on the port.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseName, onPostgres } from './support/database.ts';
import { hasBinaries } from './support/resolver.ts';
import { type Served, startServe } from './support/serve.ts';

const haveNpm = hasBinaries('npm');
if (!haveNpm) console.log('npm-start: skipped, npm is missing');

let dataDir: string;
// PGlite lives in DATA_DIR; on PostgreSQL the server gets a database of its own.
let database: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
beforeAll(async () => {
  if (onPostgres) database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'wol-npm-start-'));
  await chmod(dataDir, 0o700);
});
afterAll(async () => {
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Whether any process of the group `pgid` is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(pgid: number): Promise<boolean> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (!groupAlive(pgid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

describe.skipIf(!haveNpm)(`npm start on ${databaseName}`, () => {
  const start = (): Promise<Served> =>
    startServe({ DATA_DIR: dataDir, DATABASE_URL: database?.url ?? '' }, { command: ['npm', 'start'], detached: true });

  it.each([
    ['npm, the main process', (npm: number) => process.kill(npm, 'SIGTERM')],
    ['its process group', (npm: number) => process.kill(-npm, 'SIGTERM')],
  ])(
    'SIGTERM to %s stops the server in order',
    async (_, signal) => {
      const server = await start();
      const pgid = server.child.pid as number;
      try {
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        signal(pgid);
        expect(await server.exited).toBe(0);
        expect(await groupGone(pgid)).toBe(true);
        expect(await refused(server.url)).toBe(true);
      } finally {
        if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
      }
      const messages = server.lines().map((l) => l.msg);
      expect(messages).toContain('stopping');
      expect(messages.at(-1)).toBe('stopped');
      expect(messages).not.toContain('second signal: exiting now');
    },
    120_000,
  );
});
