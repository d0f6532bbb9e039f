/**
 * The distribution protocol (DESIGN section 8) for NCBs and ISPs. Artifacts carry a strong
 * ETag (their sha256), Content-Digest (RFC 9530) of the bytes sent, X-List-Version, and
 * gzip when asked; versioned URLs are immutable.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { formats, mediaTypes } from '../../core/formats.ts';
import type { Deps } from '../../deps.ts';
import { listChanges } from '../../schemas/list.ts';
import {
  type ArtifactAnswer,
  parseFormat,
  pullArtifact,
  pullChanges,
  pullManifest,
  pullTimestamp,
  type VersionSpec,
} from '../../services/distribution.ts';
import { callerOf, requirePullRoles } from '../auth.ts';
import type { App, AppEnv } from '../env.ts';
import { jsonContent, problems } from '../openapi.ts';
import { HttpProblem, problem } from '../problem.ts';

const JOSE = 'application/jose';
const IMMUTABLE = 'private, max-age=31536000, immutable';
const REVALIDATE = 'private, no-cache';
/** Either scheme (docs.ts declares both). */
const PULL_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { basic: [] }];

const text = (description: string, type = 'text/plain') => ({
  description,
  content: { [type]: { schema: z.string() } },
});

/**
 * The hex digests an If-None-Match names (quoted, weak or not, with or without a +gzip suffix);
 * null without the header, whose absence is what lets If-Modified-Since count.
 */
export function requestedDigests(header: string | undefined): string[] | null {
  if (header === undefined) return null;
  return [...header.matchAll(/"([0-9a-f]{64})(?:\+gzip)?"/g)].map((m) => m[1]!);
}

/** An If-Modified-Since date; an unparsable one is ignored, as RFC 9110 says. */
export function modifiedSince(header: string | undefined): Date | null {
  if (header === undefined) return null;
  const date = new Date(header);
  return Number.isNaN(date.getTime()) ? null : date;
}

const acceptsGzip = (header: string | undefined) => /\bgzip\b(?!;\s*q=0(\.0*)?\b)/i.test(header ?? '');
const base64Digest = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

function artifactResponse(c: Context<AppEnv>, answer: ArtifactAnswer, immutable: boolean): Response {
  const headers: Record<string, string> = {
    'x-list-version': String(answer.version),
    'cache-control': immutable ? IMMUTABLE : REVALIDATE,
    vary: 'Accept-Encoding, Authorization',
    // For products that revalidate by date instead of by ETag.
    'last-modified': answer.lastModified.toUTCString(),
  };
  if (!answer.body) return c.body(null, 304, { ...headers, etag: `"${answer.sha256}"` });
  // Another encoding is another representation: it gets its own strong validator.
  headers.etag = answer.body.gzip ? `"${answer.sha256}+gzip"` : `"${answer.sha256}"`;
  headers['content-type'] = mediaTypes[answer.format];
  headers['content-digest'] = `sha-256=:${base64Digest(answer.body.digest)}:`;
  headers['x-content-sha256'] = answer.sha256;
  if (answer.body.gzip) headers['content-encoding'] = 'gzip';
  return c.body(answer.body.bytes as Uint8Array<ArrayBuffer>, 200, headers);
}

export function registerList(app: App, deps: Deps): void {
  // Bearer or Basic with the key as the password: firewalls and proxies send only Basic.
  const pullers = requirePullRoles(deps, 'ncb', 'isp');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/list/manifest',
      operationId: 'getLatestManifest',
      tags: ['list'],
      summary: 'The newest signed manifest (compact JWS, typ wol-manifest+jws)',
      middleware: [pullers],
      security: PULL_SECURITY,
      responses: { 200: text('The manifest', JOSE), ...problems(401, 403, 503) },
    }),
    async (c) => {
      const m = await pullManifest(deps, { caller: callerOf(c), input: { version: 'latest' } });
      return c.body(m.manifest, 200, {
        'content-type': JOSE,
        etag: `"${m.manifestSha256}"`,
        'x-list-version': String(m.version),
        'cache-control': REVALIDATE,
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/list/timestamp',
      operationId: 'getTimestamp',
      tags: ['list'],
      summary: 'The signed freshness statement: the newest version and its manifest digest (typ wol-timestamp+jws)',
      middleware: [pullers],
      security: PULL_SECURITY,
      responses: { 200: text('The timestamp', JOSE), ...problems(401, 403, 503) },
    }),
    async (c) => {
      const t = await pullTimestamp(deps, { caller: callerOf(c) });
      return c.body(t.jws, 200, {
        'content-type': JOSE,
        'x-list-version': String(t.version),
        'cache-control': 'private, no-store',
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/list/changes',
      operationId: 'getListChanges',
      tags: ['list'],
      summary: 'Keys added and removed since a version, with the newest manifest; a reset when `since` is too old',
      middleware: [pullers],
      security: PULL_SECURITY,
      request: {
        query: z.object({
          // Coercion turns a missing `since` into NaN: the message must say what is wanted, not what NaN is.
          since: z.coerce
            .number({ error: 'required: the list version you have, a whole number' })
            .int()
            .min(0)
            .max(2_147_483_647),
        }),
      },
      responses: {
        200: jsonContent(listChanges, 'The changes'),
        ...problems(400, 401, 403, 409, 503),
      },
    }),
    async (c) => {
      const changes = await pullChanges(deps, { caller: callerOf(c), input: c.req.valid('query') });
      return c.json(changes, 200, { 'x-list-version': String(changes.toVersion), 'cache-control': REVALIDATE });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/list/{version}/manifest',
      operationId: 'getManifest',
      tags: ['list'],
      summary: 'The signed manifest of one version',
      middleware: [pullers],
      security: PULL_SECURITY,
      request: {
        params: z.object({
          version: z.coerce
            .number()
            .int()
            .min(1)
            .openapi({ param: { name: 'version', in: 'path' } }),
        }),
      },
      responses: { 200: text('The manifest', JOSE), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const m = await pullManifest(deps, { caller: callerOf(c), input: c.req.valid('param') });
      return c.body(m.manifest, 200, {
        'content-type': JOSE,
        etag: `"${m.manifestSha256}"`,
        'x-list-version': String(m.version),
        'cache-control': IMMUTABLE,
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/list/{file}',
      operationId: 'getListFile',
      tags: ['list'],
      summary: 'An artifact: latest.{format} (revalidate) or {version}.{format} (immutable)',
      description: `Formats: ${formats.join(', ')}. Send If-None-Match with the ETag (or If-Modified-Since with Last-Modified) for a 304.`,
      middleware: [pullers],
      security: PULL_SECURITY,
      request: {
        params: z.object({
          file: z
            .string()
            .regex(/^(latest|[1-9][0-9]{0,9})\.[a-z0-9]+$/, 'expected latest.{format} or {version}.{format}')
            .openapi({ param: { name: 'file', in: 'path' }, example: 'latest.txt' }),
        }),
      },
      responses: {
        200: text('The artifact'),
        304: { description: 'Not modified' },
        ...problems(400, 401, 403, 404, 410, 503),
      },
    }),
    async (c) => {
      const [name, extension] = c.req.valid('param').file.split('.') as [string, string];
      const version: VersionSpec = name === 'latest' ? 'latest' : Number(name);
      if (version !== 'latest' && !Number.isSafeInteger(version))
        throw new HttpProblem(problem(400, 'bad_version', 'bad version'));
      const answer = await pullArtifact(deps, {
        caller: callerOf(c),
        input: {
          version,
          format: parseFormat(extension),
          knownSha256: requestedDigests(c.req.header('if-none-match')),
          modifiedSince: modifiedSince(c.req.header('if-modified-since')),
          gzip: acceptsGzip(c.req.header('accept-encoding')),
        },
      });
      return artifactResponse(c, answer, version !== 'latest') as never;
    },
  );
}
