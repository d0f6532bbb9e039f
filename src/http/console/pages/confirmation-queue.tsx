/** The confirmation queue for analysts: domains that wait only for another country or organisation, 50 per page. */
import type { Hono } from 'hono';
import { confirmationQueueQuery } from '../../../schemas/confirmation-queue.ts';
import { confirmationQueue } from '../../../services/confirmation-queue.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser, userCaller } from '../guard.tsx';
import { count, DomainLink, KeysetPager, When } from '../views/components.tsx';
import { page } from '../views/layout.tsx';
import { pageRange, pageStart } from '../views/page-range.ts';

const PAGE_SIZE = 50;

export function registerConfirmationQueue(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/confirmation-queue', requireUser(kit, 'analyst', 'admin'), async (c) => {
    // A cursor this service did not give is dropped: the page starts from the top.
    // The cursor names a domain, so it travels sealed (refs.ts).
    const sealed = kit.refs.openQuery(c.req.query('s'));
    const parsed = confirmationQueueQuery.safeParse({ cursor: sealed.after || undefined, limit: PAGE_SIZE });
    const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
    const from = pageStart(sealed.from, query.cursor);
    const result = await confirmationQueue(kit.deps, { caller: userCaller(c), input: query });
    return page(
      c,
      { title: 'Confirmation queue', current: 'confirmation' },
      <>
        <h1>Confirmation queue</h1>
        <p>
          Domains that meet every criterion but the number of confirming countries or organisations: one more
          confirmation from the right place lists them. Fewest missing first, then the most recently confirmed.{' '}
          {count(result.total)} in all.
        </p>
        <p class="hint">
          {result.asOf ? (
            <>
              As of the build at <When at={result.asOf.builtAt} /> (version {result.asOf.version ?? '—'}): each build
              finds them again.
            </>
          ) : (
            'No build has run yet: the first one finds them.'
          )}
        </p>
        {result.items.length === 0 ? (
          <p class="muted">{query.cursor ? 'No more domains.' : 'No domain waits for a confirmation.'}</p>
        ) : (
          <div class="scroll">
            <table>
              <caption>{`Waiting for a confirmation, ${pageRange(from, result.items.length, result.total)}`}</caption>
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">Missing</th>
                  <th scope="col">Organisations</th>
                  <th scope="col">Countries</th>
                  <th scope="col">Reports</th>
                  <th scope="col">Last confirmed online</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((item) => (
                  <tr>
                    <td>
                      <DomainLink listKey={item.listKey} href={kit.refs.domain(item.listKey)} />
                    </td>
                    <td>{item.missing.text}</td>
                    <td>{count(item.confirmingOrganisations)}</td>
                    <td>{count(item.confirmingCountries)}</td>
                    <td>{count(item.reports)}</td>
                    <td>
                      <When at={item.latestOnlineAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <KeysetPager
          refs={kit.refs}
          path="/console/confirmation-queue"
          paged={query.cursor !== undefined}
          next={result.nextCursor}
          from={from}
          shown={result.items.length}
        />
      </>,
    );
  });
}
