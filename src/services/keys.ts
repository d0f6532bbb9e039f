/**
 * Signing keys: make sure one is active at start, sign with it, rotate it, publish the
 * public halves. A rotated key stays published (retiring) until every manifest it signed
 * has expired.
 */
import { generateSigningKey, type PublicJwk, publicJwk, type SigningKey } from '../core/signing.ts';
import type { PublishedKeyState } from '../core/vocabulary.ts';
import { type Db, inTransaction } from '../db/database.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { activateKey, activeKeyRow, publishedKeyRows, retireExpiredKeys } from '../db/repositories/keys.ts';
import type { Deps } from '../deps.ts';
import type { JwkSet } from '../schemas/keys.ts';
import { UnavailableError } from './errors.ts';
import { ENV_REF } from './key-vault.ts';

/**
 * At start: the configured key (WOL_SIGNING_KEY) becomes active if it is not; otherwise an
 * active key must exist and be readable here, or a new one is generated and stored.
 */
export async function ensureSigningKey(deps: Deps, configured: SigningKey | null): Promise<string> {
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock();
    const active = await activeKeyRow(tx);
    if (configured) {
      if (active?.kid !== configured.kid) await install(tx, configured, ENV_REF, now, 'key.configure');
      return configured.kid;
    }
    if (active && (await deps.vault.read(active.privateRef))) return active.kid;
    const key = await generateSigningKey();
    await install(tx, key, await deps.vault.store(key), now, 'key.generate');
    return key.kid;
  });
}

/** A new active key; the old one is published as retiring until its manifests expire. */
export async function rotateSigningKey(deps: Deps): Promise<{ kid: string; previous: string | null }> {
  const key = await generateSigningKey();
  const ref = await deps.vault.store(key);
  return inTransaction(deps.db, async (tx) => {
    const previous = (await activeKeyRow(tx))?.kid ?? null;
    await install(tx, key, ref, deps.clock(), 'key.rotate', previous);
    return { kid: key.kid, previous };
  });
}

async function install(
  tx: Db,
  key: SigningKey,
  privateRef: string,
  at: Date,
  action: string,
  previous?: string | null,
) {
  await activateKey(
    tx,
    { kid: key.kid, alg: 'EdDSA', publicJwk: publicJwk(key.privateJwk, key.kid), privateRef, createdAt: at },
    at,
  );
  await recordAudit(tx, { actor: null, action, subject: `key:${key.kid}`, detail: previous ? { previous } : {}, at });
}

/** The active key's private half, for the builder. */
export async function activeSigningKey(deps: Deps, db: Db = deps.db): Promise<SigningKey> {
  const row = await activeKeyRow(db);
  if (!row)
    throw new UnavailableError(
      'no_signing_key',
      'there is no active signing key: start the service once or set WOL_SIGNING_KEY',
    );
  const key = await deps.vault.read(row.privateRef);
  if (!key)
    throw new UnavailableError(
      'signing_key_unreadable',
      `the active signing key ${row.kid} (${row.privateRef}) cannot be read here: share DATA_DIR/keys or set WOL_SIGNING_KEY`,
    );
  return key;
}

export async function publishedJwks(deps: Deps): Promise<JwkSet> {
  await retireExpiredKeys(deps.db, deps.clock());
  const rows = await publishedKeyRows(deps.db);
  return {
    keys: rows.map((r) => {
      const { x, kid } = r.publicJwk as PublicJwk;
      // The repository selects published states only.
      const status = r.state as PublishedKeyState;
      return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig', status };
    }),
  };
}
