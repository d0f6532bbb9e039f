/**
 * Delisting requests: the open queue (oldest first) with reject/accept, and the decided ones.
 * Each says whether its domain is listed now; the action that changes nothing (Reject) comes
 * first, so the one that takes a domain off the list is never the default.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { type DelistingState, delistingStates } from '../../../core/vocabulary.ts';
import { delistingDecision } from '../../../schemas/domains.ts';
import { browseDelistingRequests, decideDelisting, delistingCounts } from '../../../services/delisting.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { notFoundPage } from '../failures.tsx';
import { redirectFailure } from '../flash.ts';
import { requireUser, userCaller } from '../guard.tsx';
import {
  Badge,
  CsrfField,
  count,
  DomainLink,
  FieldError,
  formState,
  invalid,
  VersionLink,
  When,
} from '../views/components.tsx';
import { page } from '../views/layout.tsx';

const PAGE_SIZE = 100;
const tabLabel: Record<DelistingState, string> = { open: 'Open', accepted: 'Accepted', rejected: 'Rejected' };

export function registerDelisting(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const staff = requireUser(kit, 'analyst', 'admin');
  const { deps } = kit;

  const render = async (c: Context<ConsoleEnv>) => {
    const requested = c.req.query('state');
    const state: DelistingState = delistingStates.includes(requested as DelistingState)
      ? (requested as DelistingState)
      : 'open';
    const { items } = await browseDelistingRequests(deps, { state, limit: PAGE_SIZE });
    const counts = await delistingCounts(deps);
    return page(
      c,
      { title: `Delisting requests: ${state}`, current: 'delisting' },
      <>
        <h1>Delisting requests</h1>
        <nav class="tabs" aria-label="Request states">
          <ul>
            {delistingStates.map((tab) => (
              <li>
                <a href={`/console/delisting?state=${tab}`} aria-current={tab === state ? 'page' : undefined}>
                  {`${tabLabel[tab]} (${count(counts.get(tab) ?? 0)})`}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {items.length === 0 && <p class="muted">No {state} requests.</p>}
        {items.length === PAGE_SIZE && (
          <p class="hint">
            Showing the {state === 'open' ? 'oldest' : 'newest'} {PAGE_SIZE} of {count(counts.get(state) ?? 0)}.
          </p>
        )}
        {items.map((r) => (
          <article class="card" aria-labelledby={`r-${r.id}`}>
            <h2 id={`r-${r.id}`}>
              <DomainLink listKey={r.listKey} href={kit.refs.domain(r.listKey)} /> <Badge kind={r.state} />
            </h2>
            <dl class="facts">
              <dt>The domain now</dt>
              <dd>
                {r.listedSince !== null ? (
                  <>
                    <Badge kind="listed" /> since <VersionLink version={r.listedSince} />
                    {r.excluded && ' (excluded: it leaves at the next build)'}
                  </>
                ) : r.excluded ? (
                  <Badge kind="excluded" />
                ) : (
                  'not listed'
                )}
              </dd>
              <dt>Received</dt>
              <dd>
                <When at={r.createdAt} />
              </dd>
              <dt>Host named</dt>
              <dd>
                <code>{r.host}</code>
              </dd>
              <dt>Contact</dt>
              <dd>{r.contact}</dd>
              <dt>Statement</dt>
              <dd>{r.statement}</dd>
              {r.state !== 'open' && (
                <>
                  <dt>Decided</dt>
                  <dd>
                    <When at={r.decidedAt} /> — {r.reason}
                  </dd>
                </>
              )}
            </dl>
            {r.state === 'open' && (
              <form method="post" action={`/console/delisting/${r.id}/decision`} class="stack">
                <CsrfField token={c.get('csrf')} />
                <div>
                  <label for={`reason-${r.id}`}>Reason for the decision</label>
                  <textarea
                    id={`reason-${r.id}`}
                    name="reason"
                    required
                    minlength={3}
                    maxlength={2000}
                    {...invalid(`reason-${r.id}`, formState(c.get('flash'), r.id), 'reason')}
                  >
                    {formState(c.get('flash'), r.id).values.reason ?? ''}
                  </textarea>
                  <FieldError id={`reason-${r.id}`} state={formState(c.get('flash'), r.id)} field="reason" />
                </div>
                <div class="row">
                  <button type="submit" name="decision" value="reject" class="secondary">
                    Reject (keep the domain as it is)
                  </button>{' '}
                  <button type="submit" name="decision" value="accept" class="danger">
                    {r.listedSince !== null
                      ? 'Accept (exclude the domain)'
                      : 'Accept (exclude the domain from listing)'}
                  </button>
                </div>
              </form>
            )}
          </article>
        ))}
      </>,
    );
  };

  ui.get('/delisting', staff, (c) => render(c));

  ui.post('/delisting/:id/decision', staff, async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) return notFoundPage(c);
    const form = await c.req.parseBody();
    try {
      const input = delistingDecision.parse({ decision: form.decision, reason: form.reason });
      await decideDelisting(deps, { caller: userCaller(c), input: { id: id.data, decision: input } });
      return c.redirect(`/console/delisting?done=${input.decision === 'accept' ? 'accepted' : 'rejected'}`, 303);
    } catch (error) {
      return redirectFailure(kit, c, '/console/delisting', error, id.data, form);
    }
  });
}
