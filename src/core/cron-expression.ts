/**
 * A runtime-neutral check of a cron expression's shape: five or six fields of cron
 * characters, or an @nickname. It catches typos in configuration on every runtime without
 * loading a scheduler; the scheduler itself stays the authority (Node re-validates
 * WOL_BUILD_CRON with node-cron at start-up; on Workers the crons are wrangler.toml's).
 */

const FIELD = /^[A-Za-z0-9*/,#?-]+$/;
const NICKNAME = /^@[a-z]+$/i;

/** Why `expression` cannot be a cron expression, or null when its shape is right. */
export function cronShapeError(expression: string): string | null {
  const trimmed = expression.trim();
  if (NICKNAME.test(trimmed)) return null;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return `expected 5 or 6 fields, got ${fields.length}`;
  const bad = fields.find((field) => !FIELD.test(field));
  return bad === undefined ? null : `the field "${bad}" has characters a cron expression does not use`;
}
