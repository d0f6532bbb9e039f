/**
 * The re-check queue for analysts (issue 22): listed domains with an open delisting request,
 * then those whose newest confirmation is older than the review age, oldest first, 50 per page,
 * as the last build recorded them (GET /v1/review-queue computes the same now).
 */
import type { Hono } from 'hono';
import { reviewQueueQuery } from '../../../schemas/review.ts';
import { recordedReviewQueue } from '../../../services/review.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser } from '../guard.tsx';
import { Badge, count, DomainLink, KeysetPager, VersionLink, When } from '../views/components.tsx';
import { page } from '../views/layout.tsx';
import { pageRange, pageStart } from '../views/page-range.ts';

const PAGE_SIZE = 50;

export function registerRecheckQueue(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/recheck-queue', requireUser(kit, 'analyst', 'admin'), async (c) => {
    // The cursor names a domain, so it travels sealed (refs.ts); one this service did not give starts from the top.
    const sealed = kit.refs.openQuery(c.req.query('s'));
    const parsed = reviewQueueQuery.safeParse({ cursor: sealed.after || undefined, limit: PAGE_SIZE });
    const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
    const from = pageStart(sealed.from, query.cursor);
    const result = await recordedReviewQueue(kit.deps, query);
    return page(
      c,
      { title: 'Re-check queue', current: 'recheck' },
      <>
        <h1>Re-check queue</h1>
        <p>
          Listed domains to look at again: those named by an open delisting request first, then those whose newest
          online confirmation is older than {result.reviewAfterDays} days, oldest first. {count(result.total)} in all.
        </p>
        <p class="hint">
          {result.asOf ? (
            <>
              Confirmations as of the build at <When at={result.asOf.builtAt} /> (version {result.asOf.version ?? '—'}
              ); delisting requests and exclusions as they are now. An observation recorded since counts from the next
              build.
            </>
          ) : (
            'No build has run yet: nothing is listed.'
          )}
        </p>
        {result.items.length === 0 ? (
          <p class="muted">{query.cursor ? 'No more domains.' : 'No listed domain is due for a re-check.'}</p>
        ) : (
          <div class="scroll">
            <table>
              <caption>{`Due for a re-check, ${pageRange(from, result.items.length, result.total)}`}</caption>
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">Listed since</th>
                  <th scope="col">Delisting requests</th>
                  <th scope="col">Last confirmed online</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Reports to re-check</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((item) => (
                  <tr>
                    <td>
                      <DomainLink listKey={item.listKey} href={kit.refs.domain(item.listKey)} />
                    </td>
                    <td>
                      <VersionLink version={item.listedSince} />
                    </td>
                    <td>
                      {item.openDelistingRequests > 0 ? (
                        <Badge kind="open">{`${count(item.openDelistingRequests)} open`}</Badge>
                      ) : (
                        <span class="muted">none</span>
                      )}
                    </td>
                    <td>
                      <When at={item.lastConfirmedAt} empty="never" />
                    </td>
                    <td>
                      {item.expiresAt === null ? (
                        <span class="muted">no qualifying confirmations</span>
                      ) : (
                        <>
                          <When at={item.expiresAt} /> <small class="muted">({count(item.daysLeft)} d left)</small>
                        </>
                      )}
                    </td>
                    <td>
                      {count(item.reportCount)}
                      {item.reports[0] && (
                        <small class="muted">
                          {' '}
                          (stalest: {item.reports[0].organisation.name}, {item.reports[0].organisation.country})
                        </small>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <KeysetPager
          refs={kit.refs}
          path="/console/recheck-queue"
          paged={query.cursor !== undefined}
          next={result.nextCursor}
          from={from}
          shown={result.items.length}
        />
      </>,
    );
  });
}
