/** The analysts' start page: where the list stands, the last and next build, open requests, the chart. */
import type { Hono } from 'hono';
import { dashboardSummary } from '../../../services/overview.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser } from '../guard.tsx';
import { VersionChart } from '../views/chart.tsx';
import { Badge, count, duration, VersionLink, When } from '../views/components.tsx';
import { page } from '../views/layout.tsx';

export function registerDashboard(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/', requireUser(kit, 'analyst', 'admin', 'ncb'), async (c) => {
    if (c.get('user').role === 'ncb') return c.redirect('/console/ncb', 303);
    const summary = await dashboardSummary(kit.deps);
    const { latest, lastRun } = summary;
    return page(
      c,
      { title: 'Dashboard', current: 'dashboard' },
      <>
        <h1>Dashboard</h1>
        <dl class="stats">
          <div>
            <dt>Latest version</dt>
            <dd>
              <VersionLink version={latest?.version} />
              <small>
                <When at={latest?.createdAt} empty="nothing built yet" />
              </small>
            </dd>
          </div>
          <div>
            <dt>Entries</dt>
            <dd>{count(latest?.entryCount ?? 0)}</dd>
          </div>
          <div>
            <dt>Last build</dt>
            <dd>
              {lastRun ? <Badge kind={lastRun.outcome} /> : <span class="muted">none yet</span>}
              <small>
                {lastRun && (
                  <>
                    <When at={lastRun.startedAt} /> · {duration(lastRun.durationMs)}
                  </>
                )}
              </small>
            </dd>
          </div>
          <div>
            <dt>Next scheduled run</dt>
            <dd>
              <small>
                <When at={summary.nextScheduledBuild} empty="no schedule runs in this process" />
              </small>
            </dd>
          </div>
          <div>
            <dt>Open delisting requests</dt>
            <dd>
              <a href="/console/delisting">{count(summary.openDelistingRequests)}</a>
            </dd>
          </div>
        </dl>
        <section class="card" aria-labelledby="chart-heading">
          <h2 id="chart-heading">
            List size and changes per version{' '}
            <span class="muted">
              (the last {summary.versions.length === 1 ? 'version' : `${summary.versions.length} versions`})
            </span>
          </h2>
          <VersionChart points={summary.versions} />
        </section>
      </>,
    );
  });
}
