/** The analysts' start page: where the list stands, the last and next build, open requests, the list over time. */
import type { Hono } from 'hono';
import { type Range, rangeLabel, ranges } from '../../../core/time-series.ts';
import { dashboardSummary, listOverTime } from '../../../services/overview.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser } from '../guard.tsx';
import { Badge, count, duration, VersionLink, When, waited } from '../views/components.tsx';
import { page } from '../views/layout.tsx';
import { TimeCharts } from '../views/time-charts.tsx';

/**
 * How long listed domains waited from their first report to their first listing, every domain
 * ever listed counted once: the effect the confirmation queue should have shows here.
 */
function TimeToListing(props: { distribution: { count: number; buckets: { le: number; count: number }[] } }) {
  const { count: total, buckets } = props.distribution;
  return (
    <section class="card" aria-labelledby="ttl-heading">
      <h2 id="ttl-heading">Time from first report to listing</h2>
      {total === 0 ? (
        <p class="muted">No domain listed yet.</p>
      ) : (
        <table>
          <caption>
            {count(total)} listed {total === 1 ? 'domain' : 'domains'}, each counted once (see also the{' '}
            <a href="/console/confirmation-queue">confirmation queue</a>)
          </caption>
          <thead>
            <tr>
              <th scope="col">From first report to listing</th>
              <th scope="col">Domains</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b, i) => (
              <tr>
                <td>{i === 0 ? `up to ${waited(b.le)}` : `${waited(buckets[i - 1]!.le)} to ${waited(b.le)}`}</td>
                <td>{count(b.count - (buckets[i - 1]?.count ?? 0))}</td>
                <td>{`${Math.round((100 * b.count) / total)}% in all`}</td>
              </tr>
            ))}
            <tr>
              <td>longer</td>
              <td>{count(total - (buckets.at(-1)?.count ?? 0))}</td>
              <td>100% in all</td>
            </tr>
          </tbody>
        </table>
      )}
    </section>
  );
}

export function registerDashboard(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/', requireUser(kit, 'analyst', 'admin', 'ncb'), async (c) => {
    if (c.get('user').role === 'ncb') return c.redirect('/console/ncb', 303);
    const summary = await dashboardSummary(kit.deps);
    const asked = c.req.query('range');
    const overTime = await listOverTime(kit.deps, ranges.includes(asked as Range) ? (asked as Range) : '7d');
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
          <h2 id="chart-heading">The list over the last {rangeLabel[overTime.range]}</h2>
          <nav class="tabs" aria-label="Time window">
            <ul>
              {ranges.map((r) => (
                <li>
                  <a href={`/console?range=${r}`} aria-current={r === overTime.range ? 'page' : undefined}>
                    {rangeLabel[r]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <TimeCharts range={overTime.range} list={overTime.list} builds={overTime.builds} />
        </section>
        <TimeToListing distribution={summary.timeToListing} />
      </>,
    );
  });
}
