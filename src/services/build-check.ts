/**
 * `worstof build --full --check` (issue 16): brings the summary up to date as the next build
 * would (only the keys that changed), then recomputes every key as a full build would, from
 * the same snapshot of the database, and names every difference in what the two leave: the
 * summaries and the explanations evaluate() gives from them, the list, the domains' figures,
 * the confirmation and re-check queues. Both are rehearsals in savepoints rolled back:
 * nothing is published, nothing taken.
 */
import { sql } from 'drizzle-orm';
import { evaluate } from '../core/criteria.ts';
import { differingKeys } from '../core/diff.ts';
import { type Db, inTransaction } from '../db/database.ts';
import { type DerivedTable, derivedRows } from '../db/repositories/build-state.ts';
import { readSummaries } from '../db/repositories/key-evidence.ts';
import type { Deps } from '../deps.ts';
import { BUILD_LOCK_SQL, compile } from './build.ts';
import { activeCriteria } from './criteria.ts';

export interface Difference {
  table: DerivedTable | 'explanations';
  listKey: string;
  /** The row as the incremental build leaves it, and as a full recomputation does (null: no row). */
  incremental: string | null;
  full: string | null;
}

export interface BuildCheck {
  /** Keys compared: those the full recomputation summarised. */
  keys: number;
  differences: number;
  /** The first differences, table by table. */
  examples: Difference[];
}

const EXAMPLES = 20;

class Rehearsal<T> extends Error {
  constructor(readonly state: T) {
    super('rolled back');
  }
}

/** Runs `work` in a savepoint of `tx` and rolls it back, returning what `work` read. */
async function rehearse<T>(tx: Db, work: (sp: Db) => Promise<T>): Promise<T> {
  try {
    await inTransaction(tx, async (sp) => {
      throw new Rehearsal(await work(sp));
    });
  } catch (error) {
    if (error instanceof Rehearsal) return error.state as T;
    throw error;
  }
  throw new Error('a rehearsal committed');
}

async function stateAfterBuild(deps: Deps, db: Db, now: Date, full: boolean) {
  await compile(deps, db, now, full);
  const tables = await derivedRows(db);
  const { definition } = await activeCriteria(db);
  const explanations = new Map(
    (await readSummaries(db)).map((s) => [s.evidence.listKey, JSON.stringify(evaluate(s.evidence, definition, now))]),
  );
  return new Map<Difference['table'], Map<string, string>>([...tables, ['explanations', explanations]]);
}

export async function checkBuild(deps: Deps): Promise<BuildCheck> {
  const now = deps.clock();
  return inTransaction(deps.db, async (tx) => {
    // One snapshot for both rehearsals, so a write committed meanwhile is not a difference.
    await tx.execute(sql`set transaction isolation level repeatable read`);
    await tx.execute(BUILD_LOCK_SQL);
    const incremental = await rehearse(tx, (sp) => stateAfterBuild(deps, sp, now, false));
    const full = await rehearse(tx, (sp) => stateAfterBuild(deps, sp, now, true));
    const differences = [...full.keys()].flatMap((table) => {
      const a = incremental.get(table) ?? new Map<string, string>();
      const b = full.get(table) ?? new Map<string, string>();
      return differingKeys(a, b).map((listKey) => ({
        table,
        listKey,
        incremental: a.get(listKey) ?? null,
        full: b.get(listKey) ?? null,
      }));
    });
    return {
      keys: full.get('key_evidence')?.size ?? 0,
      differences: differences.length,
      examples: differences.slice(0, EXAMPLES),
    };
  });
}
