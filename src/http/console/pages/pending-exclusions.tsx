/**
 * Exclusions waiting for a build (issue 22): the exclusion and restore decisions taken since
 * the last build, newest first, each with what the next build will do with its domain.
 */
import type { Hono } from 'hono';
import { pendingExclusions } from '../../../services/work-queues.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser } from '../guard.tsx';
import { Badge, count, DomainLink, Person, When } from '../views/components.tsx';
import { page } from '../views/layout.tsx';

const SHOWN = 200;

/** What the next build does with a domain the decision names, in words. */
function nextBuild(item: { state: string; listed: boolean }): string {
  if (item.state === 'excluded') return item.listed ? 'removes it from the list' : 'keeps it off the list';
  return item.listed ? 'keeps it on the list' : 'lists it again if it meets the criteria';
}

export function registerPendingExclusions(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/pending-exclusions', requireUser(kit, 'analyst', 'admin'), async (c) => {
    const result = await pendingExclusions(kit.deps, SHOWN);
    return page(
      c,
      { title: 'Exclusions waiting for a build', current: 'dashboard' },
      <>
        <h1>Exclusions waiting for a build</h1>
        <p>
          {result.lastBuild ? (
            <>
              Exclusions and restores decided since the last build (<When at={result.lastBuild.builtAt} />, version{' '}
              {result.lastBuild.version ?? '—'}): the next build takes them up.
            </>
          ) : (
            'No build has run yet: the first one takes up every decision.'
          )}{' '}
          {count(result.total)} in all{result.total > SHOWN ? `, the newest ${count(SHOWN)} shown` : ''}.
        </p>
        {result.items.length === 0 ? (
          <p class="muted">No decision waits for a build.</p>
        ) : (
          <div class="scroll">
            <table>
              <caption>Decided since the last build</caption>
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">Decision</th>
                  <th scope="col">The next build</th>
                  <th scope="col">By</th>
                  <th scope="col">When</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((item) => (
                  <tr>
                    <td>
                      <DomainLink listKey={item.listKey} href={kit.refs.domain(item.listKey)} />
                    </td>
                    <td>
                      <Badge kind={item.state === 'excluded' ? 'excluded' : 'pass'}>
                        {item.state === 'excluded' ? 'excluded' : 'restored'}
                      </Badge>
                    </td>
                    <td>{nextBuild(item)}</td>
                    <td>
                      <Person person={item.decidedBy} />
                    </td>
                    <td>
                      <When at={item.decidedAt} />
                    </td>
                    <td>{item.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>,
    );
  });
}
