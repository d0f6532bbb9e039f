/**
 * GET /client/worstof-pull.mjs, the ISP client (one file for Node 18+, bundled from
 * `worstof pull`'s source), and GET /client, the page with its install lines and sha256.
 * Public: the client holds no secret, and an ISP fetches it before it has set up anything.
 * An instance without the bundle (not built, or Workers) answers 503 and says why.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Deps, PullClient } from '../../deps.ts';
import type { App, AppEnv } from '../env.ts';
import { problem, problemResponse } from '../problem.ts';
import { requestedDigests } from './list.ts';

export const CLIENT_PATH = '/client/worstof-pull.mjs';
/** Where the README's ISP guide installs it: the page prints the README's lines (a test compares them). */
const INSTALL_DIR = '/usr/local/lib/worstof';

const unavailable = (c: Context<AppEnv>) =>
  problemResponse(
    c,
    problem(
      503,
      'client_unavailable',
      'this instance has no ISP client to serve: Node instances build it at npm install (npm run build:client)',
    ),
  );

const page = (client: PullClient, base: string) => {
  const file = `${INSTALL_DIR}/worstof-pull.mjs`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>worstof ISP client</title>
</head>
<body>
<h1>worstof ISP client</h1>
<p><a href="${CLIENT_PATH}">worstof-pull.mjs</a> is <code>worstof pull</code> in one file for Node.js 18 or later,
with nothing else to install: it fetches the signed manifest, verifies it, fetches the artifact of that version,
checks its sha256 and only then replaces your file. A failed check exits 4 and leaves the file as it was.</p>
<p>SHA-256 of the file (${client.script.byteLength} bytes): <code id="sha256">${client.sha256}</code></p>
<h2>Install</h2>
<pre id="install">install -d ${INSTALL_DIR}
curl -fsS ${base}${CLIENT_PATH} -o ${file}.new
echo "${client.sha256}  ${file}.new" | sha256sum -c - &amp;&amp;
  mv ${file}.new ${file}</pre>
<h2>Run from cron</h2>
<pre id="cron"># /etc/cron.d/worstof: every 15 minutes
*/15 * * * * wol WOL_TOKEN=wol_isp_… node ${file} --server ${base} \\
    --format rpz --out /var/lib/worstof/worst-of.rpz --jwks /etc/worstof/jwks.json --exec "rndc reload rpz.worstof"</pre>
</body>
</html>
`;
};

export function registerClient(app: App, deps: Deps): void {
  const client = deps.pullClient;
  app.get(CLIENT_PATH, (c) => {
    if (!client) return unavailable(c);
    const etag = `"${client.sha256}"`;
    // Revalidated each time: a new release of the service serves a new file at the same URL.
    const headers = { etag, 'cache-control': 'no-cache' };
    if (requestedDigests(c.req.header('if-none-match'))?.includes(client.sha256)) return c.body(null, 304, headers);
    return c.body(client.script, 200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' });
  });
  app.get('/client', async (c) => {
    if (!client) return unavailable(c);
    const base = (deps.config.WOL_PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    return c.html(await page(client, base));
  });
}
