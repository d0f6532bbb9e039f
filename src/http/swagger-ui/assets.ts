/**
 * Swagger UI's script and stylesheet, from the installed swagger-ui-dist, so /docs needs no
 * outside host. package.json's `imports` picks the runtime's loader for `#swagger-ui`: Node
 * reads them from node_modules (node.ts); Workers have none (workers.ts says why).
 */
export interface SwaggerUiAssets {
  /** swagger-ui-dist's version: the URLs carry it, so the files may be cached for ever. */
  version: string;
  /** swagger-ui-bundle.js: defines the SwaggerUIBundle global. */
  script: string;
  /** swagger-ui.css */
  css: string;
}
