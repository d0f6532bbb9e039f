/**
 * DATA_DIR on Node: it holds the private signing keys and PGlite's files (which PGlite writes
 * readable and writable by everyone, 0666), so the folder itself is what keeps them private.
 * It is made for its owner alone, and a start on one that group or others can enter is refused,
 * as PostgreSQL refuses such a data directory.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** Creates DATA_DIR (and missing parents) with mode 0700, or checks an existing one; returns its absolute path. */
export async function prepareDataDir(dataDir: string): Promise<string> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Windows has no such mode bits: its ACLs are the operator's to set.
  if (process.platform === 'win32') return dir;
  const mode = (await stat(dir)).mode & 0o777;
  if (mode & 0o077)
    throw new DataDirError(
      `DATA_DIR ${dir} has mode ${mode.toString(8).padStart(4, '0')}: group and others must have no access to it (it holds the database and the private signing keys); run chmod 700 ${dir}`,
    );
  return dir;
}
