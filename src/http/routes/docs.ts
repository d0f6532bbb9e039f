/** GET /openapi.json (OpenAPI 3.1, generated from the route schemas) and GET /docs (an interactive page). */
import { swaggerUI } from '@hono/swagger-ui';
import type { Deps } from '../../deps.ts';
import type { App } from '../env.ts';

export function registerDocs(app: App, deps: Deps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API key: wol_<role>_<random>',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'worstof',
      version: '1',
      description: 'Compiles, signs and distributes the worst-of domain list. Every error is RFC 9457 problem+json.',
    },
    servers: deps.config.WOL_PUBLIC_URL ? [{ url: deps.config.WOL_PUBLIC_URL }] : [],
    security: [{ bearer: [] }],
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'worstof API' }));
}
