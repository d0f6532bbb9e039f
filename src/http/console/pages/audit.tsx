/**
 * The audit page: who did what, when, to which domain or other subject, newest first, 50 per
 * page, filtered by person, domain (any hostname or URL on it) and days. Like the domain
 * search, the filter is sent by POST and carried sealed, so no domain name is in a URL.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { auditPeople, browseAudit } from '../../../services/audit.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser } from '../guard.tsx';
import { withQuery } from '../refs.ts';
import { DomainLink, Person, VersionLink, When } from '../views/components.tsx';
import { page } from '../views/layout.tsx';
import { pageRange, pageStart } from '../views/page-range.ts';

const PAGE_SIZE = 50;
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
  .optional()
  .catch(undefined);
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined);
const domain = z.string().trim().min(1).max(2048).optional().catch(undefined);

/** What was done, in words: the audit's action names are dotted codes. */
const actions: Record<string, string> = {
  'domain.exclude': 'excluded',
  'domain.restore': 'restored',
  'domain.policy': 'set the hostname policy of',
  'delisting.request': 'requested the delisting of',
  'delisting.accept': 'accepted a delisting request on',
  'delisting.reject': 'rejected a delisting request on',
  'snapshot.build': 'built',
  'credential.issue': 'issued a key',
  'credential.revoke': 'revoked a key',
  'console.sign_in': 'signed in to the console',
};

/** The subject as a link where it is a domain or a version; a delisting request names its domain in the detail. */
function Subject(props: { kit: ConsoleKit; subject: string; detail: Record<string, unknown> }) {
  const [kind, ...rest] = props.subject.split(':');
  const value = rest.join(':');
  const { listKey } = props.detail;
  if (typeof listKey === 'string') return <DomainLink listKey={listKey} href={props.kit.refs.domain(listKey)} />;
  if (kind === 'domain') return <DomainLink listKey={value} href={props.kit.refs.domain(value)} />;
  if (kind === 'snapshot' && /^\d+$/.test(value)) return <VersionLink version={Number(value)} />;
  return <code>{props.subject}</code>;
}

export function registerAudit(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const staff = requireUser(kit, 'analyst', 'admin');
  const { deps, refs } = kit;

  const render = async (c: Context<ConsoleEnv>) => {
    const sealed = refs.openQuery(c.req.query('s'));
    const filter = {
      actor: id.parse(sealed.actor),
      domain: domain.parse(sealed.domain),
      from: day.parse(sealed.from),
      to: day.parse(sealed.to),
    };
    const [result, people] = await Promise.all([
      browseAudit(deps, { ...filter, before: id.parse(sealed.before), limit: PAGE_SIZE }).catch(() => null),
      auditPeople(deps),
    ]);
    const first = pageStart(sealed.at, sealed.before);
    const values = { ...filter, actor: filter.actor === undefined ? undefined : String(filter.actor) };
    return page(
      c,
      { title: 'Audit', current: 'audit' },
      <>
        <h1>Audit</h1>
        <search>
          <form method="post" action="/console/audit" class="row">
            <input type="hidden" name="_csrf" value={c.get('csrf')} />
            <div>
              <label for="actor">Person</label>
              <select id="actor" name="actor">
                <option value="">Anyone</option>
                {people.map((p) => (
                  <option value={String(p.id)} selected={filter.actor === p.id}>
                    {`${p.label} (${p.role}${p.organisation ? ` · ${p.organisation}` : ''})`}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="domain">Domain, hostname or URL</label>
              <input id="domain" name="domain" type="search" maxlength={2048} value={filter.domain ?? ''} />
            </div>
            <div>
              <label for="from">From (UTC day)</label>
              <input id="from" name="from" type="date" value={filter.from ?? ''} />
            </div>
            <div>
              <label for="to">To (UTC day)</label>
              <input id="to" name="to" type="date" value={filter.to ?? ''} />
            </div>
            <div>
              <button type="submit">Filter</button>
            </div>
          </form>
        </search>
        {!result ? (
          <p class="muted">That domain is not a hostname or URL the list could key.</p>
        ) : result.items.length === 0 ? (
          <p class="muted">Nothing recorded matches.</p>
        ) : (
          <div class="scroll">
            <table>
              <caption>
                {filter.actor || filter.domain || filter.from || filter.to ? 'Matching entries' : 'Everything recorded'}{' '}
                {pageRange(first, result.items.length, result.total)}, newest first
                {result.listKey && (
                  <>
                    {' '}
                    (list key <code>{result.listKey}</code>)
                  </>
                )}
              </caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((e) => (
                  <tr>
                    <td>
                      <When at={e.at} />
                    </td>
                    <td>
                      <Person person={e.person} />
                    </td>
                    <td>{actions[e.action] ?? e.action}</td>
                    <td>
                      <Subject kit={kit} subject={e.subject} detail={e.detail} />
                    </td>
                    <td>{typeof e.detail.reason === 'string' ? e.detail.reason : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav class="pager" aria-label="Pages">
          {sealed.before && <a href={withQuery(refs, '/console/audit', values)}>Newest entries</a>}
          {result?.nextBefore && (
            <a
              href={withQuery(refs, '/console/audit', {
                ...values,
                before: String(result.nextBefore),
                at: String(first + result.items.length),
              })}
              rel="next"
            >
              Older entries
            </a>
          )}
        </nav>
      </>,
    );
  };

  ui.get('/audit', staff, (c) => render(c));

  ui.post('/audit', staff, async (c) => {
    const form = await c.req.parseBody();
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 2048) : undefined);
    return c.redirect(
      withQuery(refs, '/console/audit', {
        actor: text(form.actor),
        domain: text(form.domain),
        from: text(form.from),
        to: text(form.to),
      }),
      303,
    );
  });
}
