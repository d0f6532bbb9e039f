/**
 * Who may use which route: the one table the authorization suite walks with every key
 * (test/authorization.test.ts) and the README's table of roles is checked against
 * (test/readme-roles.test.ts).
 */

export type Who = 'reporter' | 'analyst' | 'admin' | 'ncb' | 'isp';
const staff: Who[] = ['analyst', 'admin'];
const pullers: Who[] = ['ncb', 'isp'];
const taxiiReaders: Who[] = ['ncb', 'isp', 'admin'];

/** `METHOD path` (Hono's path syntax) -> the roles allowed, or 'public'. */
export const access: Record<string, Who[] | 'public'> = {
  'GET /healthz': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/assets/:file': 'public',
  // The ISP client and its install page hold no secret (test/pull-client.test.ts).
  'GET /client': 'public',
  'GET /client/worstof-pull.mjs': 'public',
  'POST /v1/organisations': ['admin'],
  'GET /v1/organisations': ['admin', 'analyst', 'ncb'],
  'POST /v1/credentials': ['admin', 'ncb'],
  'GET /v1/credentials': ['admin', 'ncb'],
  'DELETE /v1/credentials/:id': ['admin', 'ncb'],
  'POST /v1/credentials/:id/tsig-keys': ['admin', 'ncb'],
  'GET /v1/credentials/:id/tsig-keys': ['admin', 'ncb'],
  'DELETE /v1/credentials/:id/tsig-keys/:name': ['admin', 'ncb'],
  'POST /v1/reports': ['reporter', ...staff],
  'GET /v1/reports': ['reporter', ...staff],
  'GET /v1/reports/:id': ['reporter', ...staff],
  'POST /v1/reports/:id/assessments': ['reporter', ...staff],
  'POST /v1/reports/:id/observations': ['reporter', ...staff],
  'POST /v1/observations': ['reporter', ...staff],
  'GET /v1/review-queue': staff,
  'GET /v1/known': staff,
  'GET /v1/confirmation-queue': ['reporter', ...staff],
  'GET /v1/domains': staff,
  'GET /v1/domains/:listKey': staff,
  'POST /v1/domains/:listKey/exclusion': staff,
  'DELETE /v1/domains/:listKey/exclusion': staff,
  'PUT /v1/domains/:listKey/policy': staff,
  // A national instance's (issue 17; a central one answers 404 not_national to the allowed roles).
  'PUT /v1/domains/:listKey/withholding': staff,
  'DELETE /v1/domains/:listKey/withholding': staff,
  'GET /v1/upstream': ['admin', 'analyst', 'ncb'],
  'GET /v1/list/:version/upstream-manifest': ['admin', 'analyst', 'ncb'],
  'GET /v1/list/:version/upstream-entries': ['admin', 'analyst', 'ncb'],
  // Verified by the central key's signature, not by a bearer key (test/national.test.ts).
  'POST /v1/upstream/notify': 'public',
  'POST /v1/delisting-requests': 'public',
  'GET /v1/delisting-requests': staff,
  'POST /v1/delisting-requests/:id/decision': staff,
  'POST /v1/builds': staff,
  'GET /v1/builds': staff,
  'GET /v1/criteria': staff,
  'PUT /v1/criteria': ['admin'],
  'GET /.well-known/jwks.json': 'public',
  'GET /v1/list/manifest': pullers,
  'GET /v1/list/timestamp': pullers,
  'GET /v1/list/changes': pullers,
  'GET /v1/list/:version/manifest': pullers,
  'GET /v1/list/:file': pullers,
  'GET /v1/ncb/isps': ['ncb'],
  'GET /v1/ncbs': ['admin'],
  // TAXII 2.1 (test/taxii.test.ts): the pulling roles and admins; errors are TAXII error messages.
  'GET /taxii2/': taxiiReaders,
  'GET /taxii2/worstof/': taxiiReaders,
  'GET /taxii2/worstof/collections/': taxiiReaders,
  'GET /taxii2/worstof/collections/:collectionId/': taxiiReaders,
  'GET /taxii2/worstof/collections/:collectionId/objects/': taxiiReaders,
  'GET /taxii2/worstof/collections/:collectionId/manifest/': taxiiReaders,
  'GET /taxii2/worstof/collections/:collectionId/objects/:objectId/': taxiiReaders,
  'GET /taxii2/worstof/collections/:collectionId/objects/:objectId/versions/': taxiiReaders,
  // The console's HTML pages ignore bearer keys: they authenticate by session cookie (no cookie:
  // a redirect to the sign-in page, so 'public' here); their sessions, roles (analyst and admin
  // pages, the NCB page, 403 pages for reporters and ISPs) and CSRF are tested in test/console.test.ts.
  'GET /console/style.css': 'public',
  'GET /console/sign-in': 'public',
  'POST /console/sign-in': 'public',
  'POST /console/sign-out': 'public',
  'GET /console': 'public',
  'GET /console/domains': 'public',
  'GET /console/domains.csv': 'public',
  'POST /console/domains': 'public',
  'GET /console/domains/:ref': 'public',
  'POST /console/domains/:ref/exclude': 'public',
  'POST /console/domains/:ref/restore': 'public',
  'POST /console/domains/:ref/policy': 'public',
  'GET /console/builds': 'public',
  'GET /console/builds/confirm': 'public',
  'POST /console/builds': 'public',
  'GET /console/versions/:version': 'public',
  'GET /console/delisting': 'public',
  'POST /console/delisting/:id/decision': 'public',
  'GET /console/confirmation-queue': 'public',
  'GET /console/recheck-queue': 'public',
  'GET /console/pending-exclusions': 'public',
  'GET /console/audit': 'public',
  'POST /console/audit': 'public',
  'GET /console/ncb': 'public',
  'GET /console/ncbs': 'public',
  'POST /console/ncb/credentials': 'public',
  'GET /console/ncb/credentials/:id/revoke': 'public',
  'POST /console/ncb/credentials/:id/revoke': 'public',
  'POST /v1/webhooks': ['ncb', 'admin'],
  'GET /v1/webhooks': ['ncb', 'admin'],
  'DELETE /v1/webhooks/:id': ['ncb', 'admin'],
  // Admin keys only, as walked here; the WOL_METRICS_ALLOW addresses are covered by test/metrics.test.ts.
  'GET /metrics': ['admin'],
};
