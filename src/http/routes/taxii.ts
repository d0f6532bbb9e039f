/**
 * TAXII 2.1 (read-only) under /taxii2/: discovery, the API root, one collection (the list),
 * its objects, manifest and versions. The same keys and roles as a pull; answers are
 * application/taxii+json;version=2.1, errors TAXII error messages (the problem+json every other
 * route answers, reshaped here on the way out), a request that accepts no TAXII 2.1 gets 406.
 */
import { createRoute, type z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { acceptsTaxii, TAXII_MEDIA_TYPE } from '../../core/taxii.ts';
import type { Deps } from '../../deps.ts';
import * as schemas from '../../schemas/taxii.ts';
import {
  type Page,
  recordTaxiiPull,
  type TaxiiFilters,
  TaxiiRangeError,
  taxiiApiRoot,
  taxiiCollection,
  taxiiCollections,
  taxiiDiscovery,
  taxiiManifest,
  taxiiObject,
  taxiiObjects,
  taxiiVersions,
} from '../../services/taxii.ts';
import { callerOf, requestCaller, requirePullRoles } from '../auth.ts';
import type { App, AppEnv } from '../env.ts';
import { HttpProblem, problem } from '../problem.ts';

const ROOT = '/taxii2/worstof';

const taxiiContent = (schema: z.ZodType, description: string) => ({
  description,
  content: { [TAXII_MEDIA_TYPE]: { schema } },
});

const errorDescriptions: Record<number, string> = {
  400: 'A filter or parameter is not valid',
  401: 'Missing, unknown, expired or revoked API key',
  403: 'The key’s role may not pull',
  404: 'No such collection or object',
  406: 'The Accept header admits no TAXII 2.1 answer',
  416: 'The next value names no page this server can give',
  503: 'The database is not available',
};
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, taxiiContent(schemas.taxiiError, errorDescriptions[s] ?? 'Error')]));

const negotiate: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!acceptsTaxii(c.req.header('accept')))
    throw new HttpProblem(
      problem(406, 'not_acceptable', `this server answers ${TAXII_MEDIA_TYPE} only`, { title: 'Not acceptable' }),
    );
  await next();
};

/** Problem+json (from any layer: auth, validation, services, not found) as a TAXII error message. */
function taxiiErrors(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.headers.get('content-type') !== 'application/problem+json') return;
    const body = (await c.res.clone().json()) as Record<string, unknown>;
    // Hono answers a thrown error where it is thrown (no middleware sees it), and leaves it in c.error.
    const range = c.error instanceof TaxiiRangeError;
    const status = range ? 416 : c.res.status;
    const principal = c.get('principal');
    // A failed request of a known key is a pull too (a success is recorded by its service verb).
    if (principal) recordTaxiiPull(deps, { caller: requestCaller(c, principal), input: { version: null, status } });
    const message = {
      title: range ? 'Requested range not satisfiable' : String(body.title ?? 'Error'),
      ...(typeof body.detail === 'string' ? { description: body.detail } : {}),
      error_id: String(body.instance ?? c.get('requestId')),
      error_code: String(body.code ?? 'error'),
      http_status: String(status),
      ...(Array.isArray(body.errors) ? { details: { errors: body.errors } } : {}),
    };
    const headers = new Headers(c.res.headers);
    headers.set('content-type', TAXII_MEDIA_TYPE);
    c.res = undefined;
    c.res = new Response(JSON.stringify(message), { status, headers });
  };
}

function send(c: Context<AppEnv>, body: unknown, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(body), 200, { 'content-type': TAXII_MEDIA_TYPE, ...headers });
}

/** A page's own headers: the date added of its first and last item. */
function sendPage<T>(c: Context<AppEnv>, page: Page<T>, field: 'objects' | 'versions'): Response {
  const body = {
    more: page.more,
    ...(page.next ? { next: page.next } : {}),
    ...(page.items.length ? { [field]: page.items } : {}),
  };
  const headers: Record<string, string> = {};
  if (page.first && page.last) {
    headers['x-taxii-date-added-first'] = page.first.toISOString();
    headers['x-taxii-date-added-last'] = page.last.toISOString();
  }
  return send(c, body, headers);
}

function filtersOf(query: {
  added_after?: Date | undefined;
  limit?: number | undefined;
  next?: string | undefined;
  'match[id]'?: string[] | undefined;
  'match[type]'?: string[] | undefined;
  'match[version]'?: TaxiiFilters['versions'];
  'match[spec_version]'?: string[] | undefined;
}): TaxiiFilters {
  return {
    addedAfter: query.added_after,
    limit: query.limit,
    next: query.next,
    ids: query['match[id]'],
    types: query['match[type]'],
    versions: query['match[version]'] ?? { all: false, first: false, last: true, at: [] },
    specVersions: query['match[spec_version]'],
  };
}

export function registerTaxii(app: App, deps: Deps): void {
  // The key check of the /v1/list routes (Bearer, or Basic with the key as the password: OpenCTI
  // and FortiGate send Basic); an admin may read the feed too, to check what its consumers get.
  const pullers = requirePullRoles(deps, 'ncb', 'isp', 'admin');
  const middleware = [pullers, negotiate];
  const base = (c: Context<AppEnv>) => (deps.config.WOL_PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/+$/, '');
  const route = (path: string, operationId: string, summary: string) => ({
    method: 'get' as const,
    path,
    operationId,
    tags: ['taxii'],
    summary,
    middleware,
  });

  app.use('/taxii2/*', taxiiErrors(deps));

  app.openapi(
    createRoute({
      ...route('/taxii2/', 'getTaxiiDiscovery', 'TAXII 2.1 discovery: the API root'),
      responses: { 200: taxiiContent(schemas.discovery, 'The discovery resource'), ...errors(401, 403, 406) },
    }),
    async (c) => send(c, await taxiiDiscovery(deps, { caller: callerOf(c), input: { base: base(c) } })) as never,
  );

  app.openapi(
    createRoute({
      ...route(`${ROOT}/`, 'getTaxiiApiRoot', 'The TAXII 2.1 API root'),
      responses: { 200: taxiiContent(schemas.apiRoot, 'The API root resource'), ...errors(401, 403, 406) },
    }),
    async (c) => send(c, await taxiiApiRoot(deps, { caller: callerOf(c) })) as never,
  );

  app.openapi(
    createRoute({
      ...route(`${ROOT}/collections/`, 'getTaxiiCollections', 'The collections: one, the list'),
      responses: { 200: taxiiContent(schemas.collections, 'The collections resource'), ...errors(401, 403, 406) },
    }),
    async (c) => send(c, await taxiiCollections(deps, { caller: callerOf(c) })) as never,
  );

  app.openapi(
    createRoute({
      ...route(`${ROOT}/collections/{collectionId}/`, 'getTaxiiCollection', 'The list as a collection'),
      request: { params: schemas.collectionParams },
      responses: { 200: taxiiContent(schemas.collection, 'The collection'), ...errors(400, 401, 403, 404, 406) },
    }),
    async (c) =>
      send(
        c,
        await taxiiCollection(deps, { caller: callerOf(c), input: { id: c.req.valid('param').collectionId } }),
      ) as never,
  );

  app.openapi(
    createRoute({
      ...route(`${ROOT}/collections/{collectionId}/objects/`, 'getTaxiiObjects', 'Indicators and their producer'),
      description: 'Sorted by date added; `next` pages through the state of the list the first page was read at.',
      request: { params: schemas.collectionParams, query: schemas.objectsQuery },
      responses: {
        200: taxiiContent(schemas.envelope, 'An envelope of STIX 2.1 objects'),
        ...errors(400, 401, 403, 404, 406, 416, 503),
      },
    }),
    async (c) => {
      const page = await taxiiObjects(deps, {
        caller: callerOf(c),
        input: { id: c.req.valid('param').collectionId, filters: filtersOf(c.req.valid('query')) },
      });
      return sendPage(c, page, 'objects') as never;
    },
  );

  app.openapi(
    createRoute({
      ...route(
        `${ROOT}/collections/{collectionId}/manifest/`,
        'getTaxiiManifest',
        'The object versions, without their content',
      ),
      request: { params: schemas.collectionParams, query: schemas.objectsQuery },
      responses: {
        200: taxiiContent(schemas.manifest, 'The manifest'),
        ...errors(400, 401, 403, 404, 406, 416, 503),
      },
    }),
    async (c) => {
      const page = await taxiiManifest(deps, {
        caller: callerOf(c),
        input: { id: c.req.valid('param').collectionId, filters: filtersOf(c.req.valid('query')) },
      });
      return sendPage(c, page, 'objects') as never;
    },
  );

  app.openapi(
    createRoute({
      ...route(
        `${ROOT}/collections/{collectionId}/objects/{objectId}/`,
        'getTaxiiObject',
        'One object (its last version by default)',
      ),
      request: { params: schemas.objectParams, query: schemas.objectQuery },
      responses: {
        200: taxiiContent(schemas.envelope, 'An envelope of the object’s versions'),
        ...errors(400, 401, 403, 404, 406, 416, 503),
      },
    }),
    async (c) => {
      const { collectionId, objectId } = c.req.valid('param');
      const page = await taxiiObject(deps, {
        caller: callerOf(c),
        input: { id: collectionId, objectId, filters: filtersOf(c.req.valid('query')) },
      });
      return sendPage(c, page, 'objects') as never;
    },
  );

  app.openapi(
    createRoute({
      ...route(
        `${ROOT}/collections/{collectionId}/objects/{objectId}/versions/`,
        'getTaxiiVersions',
        'The versions of one object',
      ),
      request: { params: schemas.objectParams, query: schemas.versionsQuery },
      responses: {
        200: taxiiContent(schemas.versions, 'The versions resource'),
        ...errors(400, 401, 403, 404, 406, 416, 503),
      },
    }),
    async (c) => {
      const { collectionId, objectId } = c.req.valid('param');
      const page = await taxiiVersions(deps, {
        caller: callerOf(c),
        input: { id: collectionId, objectId, filters: filtersOf(c.req.valid('query')) },
      });
      return sendPage(c, page, 'versions') as never;
    },
  );
}
