/** Criteria sets: the active one (the default is created on first use), history, new versions. */
import { type Criteria, criteriaDefinition, defaultCriteria } from '../core/criteria.ts';
import { sha256Hex } from '../core/tokens.ts';
import { type Db, inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import {
  activeCriteriaRow,
  type CriteriaRow,
  ensureActiveCriteria,
  insertActiveCriteria,
  listCriteriaRows,
} from '../db/repositories/criteria.ts';
import type { Deps } from '../deps.ts';
import type { CriteriaVersion, CriteriaVersions } from '../schemas/criteria.ts';
import type { Call } from './caller.ts';

export interface ActiveCriteria {
  version: number;
  definition: Criteria;
  sha256: string;
}

/** Canonical JSON (sorted keys) so the digest in the manifest does not depend on key order. */
export function criteriaDigest(definition: Criteria): string {
  const sorted = Object.fromEntries(Object.entries(definition).sort(([a], [b]) => (a < b ? -1 : 1)));
  return sha256Hex(JSON.stringify(sorted));
}

function toActive(row: CriteriaRow): ActiveCriteria {
  const definition = criteriaDefinition.parse(row.definition);
  return { version: row.version, definition, sha256: criteriaDigest(definition) };
}

/** The active set; on a new database, the default (IWOL's) becomes version 1. Call inside a transaction. */
export async function activeCriteria(tx: Db): Promise<ActiveCriteria> {
  return toActive((await activeCriteriaRow(tx)) ?? (await ensureActiveCriteria(tx, defaultCriteria)));
}

/** Every version, and the active one among them (made first on a new database, so there is one). */
export async function criteriaHistory(deps: Deps): Promise<CriteriaVersions> {
  await inTransaction(deps.db, activeCriteria);
  const versions = (await listCriteriaRows(deps.db)).map((row) => ({
    ...toActive(row),
    active: row.active,
    createdAt: row.createdAt,
  }));
  return { active: versions.find((v) => v.active)!, versions };
}

export async function replaceCriteria(
  deps: Deps,
  { caller: { principal: actor, ip }, input: definition }: Call<Criteria>,
): Promise<CriteriaVersion> {
  return inTransaction(deps.db, async (tx) => {
    const row = await insertActiveCriteria(tx, definition, actor.credentialId);
    await recordAudit(tx, {
      actor: actor.credentialId,
      action: 'criteria.replace',
      subject: `criteria:${row.version}`,
      detail: definition,
      ip,
      at: deps.clock(),
    });
    return { ...toActive(row), active: true, createdAt: row.createdAt };
  });
}
