/** Whether the process can serve: the database answers a trivial query. */
import { sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';

/** True when the database answers; false (and a warning in the log) when it does not. */
export async function databaseAnswers(deps: Deps): Promise<boolean> {
  try {
    await deps.db.execute(sql`select 1`);
    return true;
  } catch (error) {
    deps.log.warn({ err: error }, 'health check: database unreachable');
    return false;
  }
}
