/**
 * The signed manifest and timestamp payloads (DESIGN section 7). Key order is fixed here,
 * so the same snapshot always yields the same bytes to sign.
 */
import { base64url, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { type Format, formats } from './formats.ts';

export const LIST_NAME = 'worst-of';
export const MANIFEST_TYP = 'wol-manifest+jws';
export const TIMESTAMP_TYP = 'wol-timestamp+jws';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const artifactSummary = z.object({ sha256, bytes: z.number().int().min(0) });

/**
 * Any format name, not only the ones this code renders: a manifest from before a format was
 * added lacks it, and one from a newer server lists formats this client does not know. A
 * closed record would refuse both, failing every client one release behind or ahead. Every
 * manifest has the txt artifact (its digest is the entry list's).
 */
const artifactsSummary = z.object({ txt: artifactSummary }).catchall(artifactSummary);

export const manifestPayload = z.object({
  list: z.literal(LIST_NAME),
  version: z.number().int().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  criteria: z.object({ version: z.number().int(), sha256 }),
  previous: z.object({ version: z.number().int(), manifestSha256: sha256 }).nullable(),
  entries: z.object({ count: z.number().int().min(0), sha256 }),
  artifacts: artifactsSummary,
  /** A national list (issue 17): the upstream version it was built from (null before the first sync). */
  upstream: z
    .object({ version: z.number().int().min(1), manifestSha256: sha256 })
    .nullable()
    .optional(),
  /** A national list: upstream entries, those withheld, and national additions not in upstream. */
  overlay: z
    .object({ upstream: z.number().int().min(0), withheld: z.number().int().min(0), national: z.number().int().min(0) })
    .optional(),
});
export type ManifestPayload = z.infer<typeof manifestPayload>;

export const timestampPayload = z.object({
  latest: z.number().int().min(1),
  manifestSha256: sha256,
  iat: z.number().int(),
  exp: z.number().int(),
});
export type TimestampPayload = z.infer<typeof timestampPayload>;

export interface ManifestInput {
  version: number;
  issuedAt: Date;
  ttlSeconds: number;
  criteria: { version: number; sha256: string };
  previous: { version: number; manifestSha256: string } | null;
  entryCount: number;
  artifacts: Record<Format, { sha256: string; bytes: number }>;
  /** A national instance's build only: a central manifest has neither field, byte for byte as before. */
  national?: Required<Pick<ManifestPayload, 'upstream' | 'overlay'>>;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function buildManifest(input: ManifestInput): ManifestPayload {
  const iat = seconds(input.issuedAt);
  return {
    list: LIST_NAME,
    version: input.version,
    iat,
    exp: iat + input.ttlSeconds,
    criteria: input.criteria,
    previous: input.previous,
    // The entry list's digest is the txt artifact's: one key per line, sorted bytewise.
    entries: { count: input.entryCount, sha256: input.artifacts.txt.sha256 },
    artifacts: Object.fromEntries(formats.map((f) => [f, input.artifacts[f]])) as ManifestPayload['artifacts'],
    ...(input.national ? { upstream: input.national.upstream, overlay: input.national.overlay } : {}),
  };
}

/** `notAfter`: a national timestamp never claims freshness past the last verified upstream one plus the grace. */
export function buildTimestamp(
  latest: number,
  manifestSha256: string,
  issuedAt: Date,
  ttlSeconds: number,
  notAfter?: Date,
): TimestampPayload {
  const iat = seconds(issuedAt);
  const exp = iat + ttlSeconds;
  return { latest, manifestSha256, iat, exp: notAfter ? Math.min(exp, seconds(notAfter)) : exp };
}

/**
 * A manifest's protected header and payload, read WITHOUT checking the signature: for
 * showing what a stored manifest says. Clients verify (core/verify.ts) before trusting one.
 */
export function readManifest(jws: string): {
  header: { alg: string | undefined; kid: string | undefined; typ: string | undefined };
  payload: ManifestPayload;
} {
  const header = decodeProtectedHeader(jws);
  const [, encoded = ''] = jws.split('.');
  const payload = manifestPayload.parse(JSON.parse(new TextDecoder().decode(base64url.decode(encoded))));
  return { header: { alg: header.alg, kid: header.kid, typ: header.typ }, payload };
}
