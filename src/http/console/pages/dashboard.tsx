/**
 * The analysts' start page: where the list stands, the last and next build, the work queues
 * (each linking to its list), the list over time.
 */
import type { Hono } from 'hono';
import { type Range, rangeLabel, ranges } from '../../../core/time-series.ts';
import type { Role } from '../../../core/vocabulary.ts';
import { dashboardSummary, listOverTime } from '../../../services/overview.ts';
import { workQueues } from '../../../services/work-queues.ts';
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

/** What waits for someone, each count linking to its list (links name no domain). */
function WorkQueues(props: { queues: Awaited<ReturnType<typeof workQueues>>; role: Role }) {
  const q = props.queues;
  const queue = (label: string, n: number, href: string | null, hint: string) => (
    <div>
      <dt>{label}</dt>
      <dd>
        {href ? <a href={href}>{count(n)}</a> : count(n)}
        <small>{hint}</small>
      </dd>
    </div>
  );
  return (
    <section class="card" aria-labelledby="queues-heading">
      <h2 id="queues-heading">Work queues</h2>
      <dl class="stats">
        {queue('Re-checks due', q.recheckDue, '/console/recheck-queue', 'listed domains to look at again')}
        {queue('Open delisting requests', q.openDelistingRequests, '/console/delisting', 'waiting for a decision')}
        {queue(
          'Exclusions waiting for a build',
          q.pendingExclusions,
          '/console/pending-exclusions',
          'decided since the last build',
        )}
        {queue(
          'One confirmation short',
          q.awaitingConfirmation,
          '/console/confirmation-queue',
          'candidates that fail only on confirmations',
        )}
        {queue(
          'Stale ISPs',
          q.staleIsps,
          props.role === 'admin' ? '/console/ncbs#stale-isps' : null,
          props.role === 'admin'
            ? `no pull for ${q.staleHours} h or more`
            : `no pull for ${q.staleHours} h or more (admins and NCBs see which)`,
        )}
      </dl>
    </section>
  );
}

export function registerDashboard(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/', requireUser(kit, 'analyst', 'admin', 'ncb'), async (c) => {
    if (c.get('user').role === 'ncb') return c.redirect('/console/ncb', 303);
    const summary = await dashboardSummary(kit.deps);
    const queues = await workQueues(kit.deps);
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
        </dl>
        <WorkQueues queues={queues} role={c.get('user').role} />
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
