/** The domains an analyst browses, why each is or is not listed, and the decisions about it. */
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps.ts';
import {
  domainDetail,
  domainPage,
  domainPolicy,
  domainQuery,
  exclusionDecision,
  listKeyParam,
  policyInput,
  reasonInput,
} from '../../schemas/domains.ts';
import { listDomains } from '../../services/domain-list.ts';
import { excludeDomain, explainDomain, restoreDomain, setDomainPolicy } from '../../services/domains.ts';
import { callerOf, requireRoles } from '../auth.ts';
import type { App } from '../env.ts';
import { jsonBody, jsonContent, problems } from '../openapi.ts';

export function registerDomains(app: App, deps: Deps): void {
  const analysts = requireRoles(deps, 'analyst', 'admin');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains',
      operationId: 'listDomains',
      tags: ['domains'],
      summary: 'Domains by state (listed, candidate, excluded), paged by key',
      middleware: [analysts],
      request: { query: domainQuery },
      responses: {
        200: jsonContent(domainPage, 'A page of domains'),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => c.json(await listDomains(deps, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/domains/{listKey}',
      operationId: 'getDomain',
      tags: ['domains'],
      summary: 'Why a domain is or is not listed: criteria, evidence, decisions and listing history',
      middleware: [analysts],
      request: { params: listKeyParam },
      responses: { 200: jsonContent(domainDetail, 'The explanation'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await explainDomain(deps, c.req.valid('param').listKey), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/domains/{listKey}/exclusion',
      operationId: 'excludeDomain',
      tags: ['domains'],
      summary: 'Exclude a domain: it is never listed, whatever its evidence (from the next build)',
      middleware: [analysts],
      request: { params: listKeyParam, body: jsonBody(reasonInput) },
      responses: { 201: jsonContent(exclusionDecision, 'Excluded'), ...problems(401, 403, 409, 422) },
    }),
    async (c) =>
      c.json(
        await excludeDomain(deps, {
          caller: callerOf(c),
          input: { listKey: c.req.valid('param').listKey, reason: c.req.valid('json').reason },
        }),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/domains/{listKey}/exclusion',
      operationId: 'restoreDomain',
      tags: ['domains'],
      summary: 'Restore an excluded domain (its evidence decides again from the next build)',
      middleware: [analysts],
      request: { params: listKeyParam, body: jsonBody(reasonInput) },
      responses: { 200: jsonContent(exclusionDecision, 'Restored'), ...problems(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(
        await restoreDomain(deps, {
          caller: callerOf(c),
          input: { listKey: c.req.valid('param').listKey, reason: c.req.valid('json').reason },
        }),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/domains/{listKey}/policy',
      operationId: 'setDomainPolicy',
      tags: ['domains'],
      summary: 'List full hostnames under a shared-hosting domain (hostname), or the registrable domain',
      middleware: [analysts],
      request: { params: listKeyParam, body: jsonBody(policyInput) },
      responses: {
        200: jsonContent(domainPolicy, 'Policy set'),
        ...problems(401, 403, 422),
      },
    }),
    async (c) =>
      c.json(
        await setDomainPolicy(deps, {
          caller: callerOf(c),
          input: { listKey: c.req.valid('param').listKey, policy: c.req.valid('json') },
        }),
        200,
      ),
  );
}
