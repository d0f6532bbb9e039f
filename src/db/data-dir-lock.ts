/**
 * The lock on a PGlite data directory. PGlite is one process's database: a second process on
 * the same files (a `worstof build` beside the server, a second `serve`, a backup) works on
 * pages the first has cached, and what it commits is lost or damages the first's. Node has no
 * flock, so the lock is DATA_DIR/worstof.lock, made with link(2) from a complete file of its
 * own (it fails if the lock exists, and no reader sees it half written), naming its holder.
 * It goes when the database closes or the process exits; one left by a process that died
 * (SIGKILL, a crash, a restart of the machine) is taken over.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

interface Holder {
  pid: number;
  command: string;
  startedAt: string;
}

const LOCK_FILE = 'worstof.lock';

/** Lock files this process holds: a second open of the same folder here is refused too. */
const held = new Set<string>();

/** A process's command line as the kernel keeps it (Linux), or null where there is no /proc to read. */
function commandOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return null;
  }
}

function parseHolder(text: string): Holder | null {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    return Number.isInteger(value.pid) && typeof value.command === 'string' ? (value as Holder) : null;
  } catch {
    return null;
  }
}

/**
 * Whether the holder still runs. Our own pid is an earlier life of it (PID 1 again in a restarted
 * container): this process's own locks are in `held`. A pid that runs another command was
 * reused after the holder died. No permission to signal it (another user's process) counts as
 * running.
 */
function running(holder: Holder): boolean {
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const command = commandOf(holder.pid);
  return command === null || command === holder.command;
}

/** Takes the lock on dataDir, or throws a DataDirLockedError naming the process that has it. Returns its release. */
export async function lockDataDir(dataDir: string): Promise<() => void> {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) throw new DataDirLockedError(`DATA_DIR ${dir} is already open in this process`);
  const me: Holder = {
    pid: process.pid,
    command: commandOf(process.pid) ?? process.argv.join(' '),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
  };
  const mine = `${JSON.stringify(me)}\n`;
  const temporary = `${file}.${process.pid}`;
  await writeFile(temporary, mine, { mode: 0o600 });
  try {
    // Two rounds: the second follows the removal of a stale lock, and fails only if another process won it.
    for (let round = 1; ; round++) {
      try {
        await link(temporary, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const text = await readFile(file, 'utf8').catch(() => '');
        // Unparsable: never a live holder's (the file is whole from its first instant), so stale.
        const holder = parseHolder(text);
        if (round === 2 || (holder && running(holder)))
          throw new DataDirLockedError(
            `DATA_DIR ${dir} is in use by process ${holder?.pid ?? '(unknown)'} (${holder?.command ?? 'unknown command'}, started ${holder?.startedAt ?? 'at an unknown time'}): a PGlite database is open in one process at a time; stop that one first (or, if it is not worstof, remove ${file})`,
          );
        await rm(file, { force: true });
      }
    }
  } finally {
    await rm(temporary, { force: true });
  }
  held.add(file);

  const release = () => {
    process.off('exit', release);
    if (!held.delete(file)) return;
    try {
      // Only ours: after a wrong takeover the file may name another process.
      if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  // process.exit() (a second signal, the shutdown timeout) skips close(): the lock goes anyway.
  process.on('exit', release);
  return release;
}
