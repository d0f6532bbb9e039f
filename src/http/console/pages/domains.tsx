/** Domains: prefix search and a state filter, paged by key (never the whole list). */
import type { Hono } from 'hono';
import { domainQuery } from '../../../schemas/domains.ts';
import { listDomains } from '../../../services/domains.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser } from '../guard.tsx';
import { Badge, DomainLink, VersionLink } from '../views/components.tsx';
import { page } from '../views/layout.tsx';

const PAGE_SIZE = 50;
const states = [
  ['', 'Any state'],
  ['listed', 'Listed'],
  ['candidate', 'Candidate (confirmed, not listed)'],
  ['excluded', 'Excluded'],
] as const;

export function registerDomains(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/domains', requireUser(kit, 'analyst', 'admin'), async (c) => {
    // A malformed filter is dropped rather than refused: the page still answers.
    const parsed = domainQuery.safeParse({
      state: c.req.query('state') || undefined,
      q: c.req.query('q') || undefined,
      cursor: c.req.query('after') || undefined,
      limit: PAGE_SIZE,
    });
    const query = parsed.success
      ? parsed.data
      : { limit: PAGE_SIZE, state: undefined, q: undefined, cursor: undefined };
    const result = await listDomains(kit.deps, query);
    const link = (after?: string) => {
      const params = new URLSearchParams();
      if (query.q) params.set('q', query.q);
      if (query.state) params.set('state', query.state);
      if (after) params.set('after', after);
      const search = params.toString();
      return `/console/domains${search ? `?${search}` : ''}`;
    };
    return page(
      c,
      { title: 'Domains', current: 'domains' },
      <>
        <h1>Domains</h1>
        <search>
          <form method="get" action="/console/domains" class="row">
            <div>
              <label for="q">Domain starts with</label>
              <input id="q" name="q" type="search" value={query.q ?? ''} maxlength={253} placeholder="example.com" />
            </div>
            <div>
              <label for="state">State</label>
              <select id="state" name="state">
                {states.map(([value, label]) => (
                  <option value={value} selected={(query.state ?? '') === value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <button type="submit">Search</button>
            </div>
          </form>
        </search>
        {result.items.length === 0 ? (
          <p class="muted">{query.cursor ? 'No more domains.' : 'No domain matches.'}</p>
        ) : (
          <table>
            <caption>
              {query.cursor ? 'Domains after ' : 'Domains'}
              {query.cursor && <code>{query.cursor}</code>}
              {query.q && (
                <>
                  {' '}
                  starting with <code>{query.q}</code>
                </>
              )}
            </caption>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">State</th>
                <th scope="col">Listed since</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((d) => (
                <tr>
                  <td>
                    <DomainLink listKey={d.listKey} />
                  </td>
                  <td>
                    <Badge kind={d.state} />
                  </td>
                  <td>
                    <VersionLink version={d.listedSince} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav class="pager" aria-label="Pages">
          {query.cursor && <a href={link()}>First page</a>}
          {result.nextCursor && (
            <a href={link(result.nextCursor)} rel="next">
              Next page
            </a>
          )}
        </nav>
      </>,
    );
  });
}
