/**
 * GET /openapi.json (OpenAPI 3.1, generated from the route schemas) and GET /docs (Swagger UI,
 * where the runtime has it; else a page that links to the document). The page loads only
 * same-origin files, none inline: it works offline and under a CSP of `script-src 'self'`.
 * Its script, stylesheet and initializer are served under /docs/assets, their URLs versioned
 * so they may be cached for ever.
 */
import { loadSwaggerUi } from '#swagger-ui';
import { sha256Hex } from '../../core/tokens.ts';
import type { Deps } from '../../deps.ts';
import type { App } from '../env.ts';
import { problem, problemResponse } from '../problem.ts';

const ASSETS = '/docs/assets';

/** Swagger UI's start: no validator badge, which would load an image from another host. */
const initializer = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', validatorUrl: null });\n`;
const initializerVersion = sha256Hex(initializer).slice(0, 12);

const swaggerPage = (version: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>worstof API</title>
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css?v=${version}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${ASSETS}/swagger-ui-bundle.js?v=${version}"></script>
<script src="${ASSETS}/init.js?v=${initializerVersion}"></script>
</body>
</html>
`;

const plainPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>worstof API</title>
</head>
<body>
<h1>worstof API</h1>
<p>The OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a>. This instance serves no interactive
reference; open the document in your own tool, or /docs on a Node instance.</p>
</body>
</html>
`;

export function registerDocs(app: App, deps: Deps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API key: wol_<role>_<random>',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'basic', {
    type: 'http',
    scheme: 'basic',
    description: 'the pull routes only: any user name, the API key as the password',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'worstof',
      version: '1',
      description: 'Compiles, signs and distributes the worst-of domain list. Every error is RFC 9457 problem+json.',
    },
    // Unset: '/', what OpenAPI means by no servers (paths resolve against where the document was
    // fetched), said outright because linters refuse a document without one.
    servers: [{ url: deps.config.WOL_PUBLIC_URL ?? '/' }],
    security: [{ bearer: [] }],
  });

  app.get('/docs', async (c) => {
    const ui = await loadSwaggerUi();
    return c.html(ui ? swaggerPage(ui.version) : plainPage);
  });
  app.get(`${ASSETS}/:file`, async (c) => {
    const ui = await loadSwaggerUi();
    const files: Record<string, [type: string, body: string]> = ui
      ? {
          'swagger-ui-bundle.js': ['text/javascript; charset=utf-8', ui.script],
          'swagger-ui.css': ['text/css; charset=utf-8', ui.css],
          'init.js': ['text/javascript; charset=utf-8', initializer],
        }
      : {};
    const file = files[c.req.param('file')];
    if (!file) return problemResponse(c, problem(404, 'not_found', `no such file under ${ASSETS}`));
    return c.body(file[1], 200, { 'content-type': file[0], 'cache-control': 'public, max-age=31536000, immutable' });
  });
}
