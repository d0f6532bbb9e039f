/** Swagger UI's files for Node: read from node_modules on first use, then kept in memory. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SwaggerUiAssets } from './assets.ts';

const require = createRequire(import.meta.url);
let loading: Promise<SwaggerUiAssets> | null = null;

async function read(): Promise<SwaggerUiAssets> {
  const [script, css] = await Promise.all(
    ['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-dist/swagger-ui.css'].map((file) =>
      readFile(require.resolve(file), 'utf8'),
    ),
  );
  const { version } = require('swagger-ui-dist/package.json') as { version: string };
  return { version, script: script!, css: css! };
}

export function loadSwaggerUi(): Promise<SwaggerUiAssets | null> {
  // A failed read is not kept: the next request tries again.
  loading ??= read().catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}
