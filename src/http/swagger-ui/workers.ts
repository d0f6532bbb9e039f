/**
 * Workers carry no Swagger UI: wrangler bundles a .js or .css import as code, not as text, and
 * the two files would take about 480 KiB of the 1 MiB (gzipped) a worker may weigh. /docs
 * there is a page that links to /openapi.json; the Node instances serve the interactive one.
 */
import type { SwaggerUiAssets } from './assets.ts';

export const loadSwaggerUi = async (): Promise<SwaggerUiAssets | null> => null;
