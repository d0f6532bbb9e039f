/**
 * Domains: prefix search and a state filter, paged by key, sortable by name, last seen or
 * confirmations (never the whole list), counted. The search is sent by POST and the results
 * page carries it sealed (`?s=`), with its order, the page cursor and the first row's position,
 * so no domain name is in a URL. A hostname or URL typed in is also looked up: the list key it falls
 * under, listed or not and why. Analysts and admins (the only roles with this page) can
 * download every row the search matches as CSV.
 */
import type { Context, Hono } from 'hono';
import { CanonicalizeError, canonicalize } from '../../../core/canonicalize.ts';
import { type DomainSort, domainStateMeaning, filterableDomainStates } from '../../../core/domain-state.ts';
import { mediaTypes } from '../../../core/formats.ts';
import { domainQuery } from '../../../schemas/domains.ts';
import { domainRows, listDomains } from '../../../services/domain-list.ts';
import { lookUpDomain } from '../../../services/domains.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser } from '../guard.tsx';
import { withQuery } from '../refs.ts';
import { Badge, DomainLink, VersionLink } from '../views/components.tsx';
import { DomainTable, type SortOrder } from '../views/domain-table.tsx';
import { page } from '../views/layout.tsx';
import { pageStart } from '../views/page-range.ts';

const PAGE_SIZE = 50;
/** Rows an export reads per query (the API's largest page). */
const EXPORT_PAGE_SIZE = 1000;

/**
 * The host a search term names (it has a dot, or a scheme or path, and canonicalizes), worth a
 * look-up; for a URL, the key prefix searched is its host.
 */
function hostOf(q: string | undefined): string | undefined {
  if (!q || !/[./:]/.test(q)) return undefined;
  const canonical = canonicalize(q);
  return canonical instanceof CanonicalizeError ? undefined : canonical.host;
}

/**
 * The list query a sealed search names, and the host to look up. A malformed filter is
 * dropped rather than refused: the page (or the export) still answers.
 */
function listQuery(sealed: Record<string, string>, limit: number) {
  const host = sealed.after ? undefined : hostOf(sealed.q);
  const parsed = domainQuery.safeParse({
    state: sealed.state || undefined,
    sort: sealed.sort || undefined,
    order: sealed.order || undefined,
    q: (host && /[/:]/.test(sealed.q ?? '') ? host : sealed.q) || undefined,
    cursor: sealed.after || undefined,
    limit,
  });
  const query = parsed.success
    ? parsed.data
    : { limit, state: undefined, q: undefined, cursor: undefined, sort: 'name' as const, order: 'asc' as const };
  return { host, query };
}

/**
 * The search's every row as CSV, read in keyset pages. Built whole before it is sent, so a
 * failure part-way answers an error page, never a truncated file. List keys are canonical
 * (letters, digits, dots, hyphens, colons of IPv6) and states fixed words, so no field needs
 * quoting and none can start a spreadsheet formula.
 */
async function exportCsv(kit: ConsoleKit, sealed: Record<string, string>): Promise<string> {
  const { query } = listQuery({ q: sealed.q ?? '', state: sealed.state ?? '' }, EXPORT_PAGE_SIZE);
  const lines = ['list_key,state,listed_since'];
  for (let cursor: string | undefined; ; ) {
    const result = await domainRows(kit.deps, { ...query, cursor });
    for (const d of result.items) lines.push(`${d.listKey},${d.state},${d.listedSince ?? ''}`);
    if (!result.next) return `${lines.join('\r\n')}\r\n`;
    cursor = result.next;
  }
}

function LookUp(props: { kit: ConsoleKit; found: Awaited<ReturnType<typeof lookUpDomain>> }) {
  const { found } = props;
  const d = found.explanation;
  const since = d?.history.find((h) => h.removedVersion === null)?.addedVersion;
  const failing = d?.evaluation.criteria.filter((c) => !c.pass).map((c) => c.name) ?? [];
  return (
    <section class="card" aria-labelledby="lookup">
      <h2 id="lookup">
        <code>{found.host}</code>
      </h2>
      <p>
        Falls under the list key <DomainLink listKey={found.listKey} href={props.kit.refs.domain(found.listKey)} />{' '}
        (hostname policy: {found.policy === 'hostname' ? 'each hostname' : 'the registrable domain'}).{' '}
        {!d ? (
          'Nothing is known under that key: it is not listed.'
        ) : (
          <>
            <Badge kind={d.state} /> {domainStateMeaning[d.state]}
            {since !== undefined && (
              <>
                , since <VersionLink version={since} />
              </>
            )}
            . {d.evaluation.included ? 'It meets every criterion.' : `It fails ${failing.join(', ')}.`}
          </>
        )}
      </p>
    </section>
  );
}

export function registerDomains(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const staff = requireUser(kit, 'analyst', 'admin');
  const { refs } = kit;

  const render = async (c: Context<ConsoleEnv>, sealed: Record<string, string>) => {
    const { host, query } = listQuery(sealed, PAGE_SIZE);
    const [result, found] = await Promise.all([
      listDomains(kit.deps, query),
      host ? lookUpDomain(kit.deps, sealed.q!) : undefined,
    ]);
    const from = pageStart(sealed.from, query.cursor);
    const order = (sort: DomainSort, direction: SortOrder) =>
      sort === 'name' && direction === 'asc' ? {} : { sort, order: direction };
    const link = (after?: string, at?: number) =>
      withQuery(refs, '/console/domains', {
        q: query.q,
        state: query.state,
        ...order(query.sort, query.order),
        after,
        from: at === undefined ? undefined : String(at),
      });
    return page(
      c,
      { title: 'Domains', current: 'domains' },
      <>
        <h1>Domains</h1>
        <search>
          <form method="post" action="/console/domains" class="row">
            <input type="hidden" name="_csrf" value={c.get('csrf')} />
            <div>
              <label for="q">Domain, hostname or URL</label>
              <input
                id="q"
                name="q"
                type="search"
                value={sealed.q ?? ''}
                maxlength={2048}
                placeholder="zz-example.com"
                aria-describedby="q-hint"
              />
              <p id="q-hint" class="hint">
                Keys starting with it; a hostname or URL also shows the key it falls under.
              </p>
            </div>
            <div>
              <label for="state">State</label>
              <select id="state" name="state">
                <option value="" selected={!query.state}>
                  Any state
                </option>
                {filterableDomainStates.map((value) => (
                  <option value={value} selected={query.state === value}>
                    {`${value[0]!.toUpperCase()}${value.slice(1)}: ${domainStateMeaning[value]}`}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <button type="submit">Search</button>
            </div>
          </form>
        </search>
        {found && <LookUp kit={kit} found={found} />}
        {result.items.length === 0 ? (
          <p class="muted">{query.cursor ? 'No more domains.' : 'No domain matches.'}</p>
        ) : (
          <DomainTable
            refs={refs}
            result={result}
            sort={query.sort}
            order={query.order}
            from={from}
            scope={`${query.state ? `, ${query.state}` : ''}${query.q ? `, starting with ${query.q}` : ''}`}
            sortedBy={(sort, direction) =>
              withQuery(refs, '/console/domains', { q: query.q, state: query.state, ...order(sort, direction) })
            }
          />
        )}
        <nav class="pager" aria-label="Pages">
          {query.cursor && <a href={link()}>First page</a>}
          {result.items.length > 0 && (
            <a href={withQuery(refs, '/console/domains.csv', { q: query.q, state: query.state })} download>
              Download CSV (every matching domain)
            </a>
          )}
          {result.nextCursor && (
            <a href={link(result.nextCursor, from + result.items.length)} rel="next">
              Next page
            </a>
          )}
        </nav>
      </>,
    );
  };

  ui.get('/domains', staff, (c) => render(c, refs.openQuery(c.req.query('s'))));

  // For analysts' own tools; the search travels sealed as on the page, so no name is in the URL.
  ui.get('/domains.csv', staff, async (c) => {
    const csv = await exportCsv(kit, refs.openQuery(c.req.query('s')));
    return c.body(csv, 200, {
      'content-type': mediaTypes.csv,
      'content-disposition': 'attachment; filename="domains.csv"',
      'cache-control': 'private, no-store',
    });
  });

  // The search itself: its terms go into the sealed query of the page it redirects to.
  ui.post('/domains', staff, async (c) => {
    const form = await c.req.parseBody();
    const text = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 2048) : undefined);
    return c.redirect(withQuery(refs, '/console/domains', { q: text(form.q), state: text(form.state) }), 303);
  });
}
