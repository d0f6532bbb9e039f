/**
 * The analyst console: server-rendered HTML under /console for analysts, admins and NCBs.
 * No script; forms post and redirect. Sessions are cookies holding a signed JWT (see
 * session.ts); every form carries a CSRF token; every answer is no-store under a strict CSP.
 * Pages call the services, like the API routes do.
 */
import { Hono } from 'hono';
import type { Deps } from '../../deps.ts';
import type { App } from '../env.ts';
import type { ConsoleEnv, ConsoleKit } from './env.ts';
import { consoleErrorHandler, notFoundPage } from './failures.tsx';
import { postChecks, securityHeaders } from './guard.tsx';
import { registerAudit } from './pages/audit.tsx';
import { registerBuilds } from './pages/builds.tsx';
import { registerConfirmationQueue } from './pages/confirmation-queue.tsx';
import { registerDashboard } from './pages/dashboard.tsx';
import { registerDelisting } from './pages/delisting.tsx';
import { registerDomain } from './pages/domain.tsx';
import { registerDomains } from './pages/domains.tsx';
import { registerNcb } from './pages/ncb.tsx';
import { registerNcbs } from './pages/ncbs.tsx';
import { registerPendingExclusions } from './pages/pending-exclusions.tsx';
import { registerRecheckQueue } from './pages/recheck-queue.tsx';
import { registerSignIn } from './pages/sign-in.tsx';
import { registerVersion } from './pages/version.tsx';
import { consoleRefs } from './refs.ts';
import { css } from './style.ts';

export function registerConsole(app: App, deps: Deps): void {
  const kit: ConsoleKit = { deps, refs: consoleRefs(deps.sessionSecret) };
  const ui = new Hono<ConsoleEnv>();
  ui.onError(consoleErrorHandler(deps));
  ui.use(securityHeaders());
  ui.use(postChecks(kit));

  // The stylesheet's URL carries its hash, so it may be cached for ever.
  ui.get('/style.css', (c) =>
    c.body(css, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    }),
  );
  registerSignIn(ui, kit);
  registerDashboard(ui, kit);
  registerDomains(ui, kit);
  registerDomain(ui, kit);
  registerConfirmationQueue(ui, kit);
  registerRecheckQueue(ui, kit);
  registerPendingExclusions(ui, kit);
  registerBuilds(ui, kit);
  registerVersion(ui, kit);
  registerDelisting(ui, kit);
  registerNcb(ui, kit);
  registerNcbs(ui, kit);
  registerAudit(ui, kit);
  ui.all('*', (c) => notFoundPage(c));

  app.route('/console', ui);
}
