/**
 * One domain: why it is or is not listed (the criteria table), the evidence behind it, its
 * listing history and decisions, and the forms to exclude, restore and set its hostname
 * policy. Each form posts, then redirects back here (or shows this page with the error).
 */
import type { Context, Hono } from 'hono';
import { CanonicalizeError, canonicalize } from '../../../core/canonicalize.ts';
import { policyInput, reasonInput } from '../../../schemas/domains.ts';
import { excludeDomain, explainDomain, restoreDomain, setDomainPolicy } from '../../../services/domains.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { formFailure } from '../failures.tsx';
import { requireUser } from '../guard.tsx';
import { Badge, CsrfField, ReasonField, VersionLink, When } from '../views/components.tsx';
import { type Flash, page } from '../views/layout.tsx';
import { Evidence } from './domain-evidence.tsx';

type Explanation = Awaited<ReturnType<typeof explainDomain>>;

const path = (listKey: string) => `/console/domains/${encodeURIComponent(listKey)}`;

const show = (value: string | number | boolean | null) =>
  value === null ? '—' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);

/** The criteria lines in words where a bare number would be ambiguous (a minimum, a number of days). */
const wording: Record<string, { required?: (v: number) => string; observed?: (v: number) => string }> = {
  severity: { required: (v) => `at least ${v}`, observed: (v) => `${v} (highest)` },
  onlineWithinDays: { required: (v) => `online within ${v} days`, observed: (v) => `${v} days ago` },
  confirmingOrganisations: { required: (v) => `at least ${v}` },
  confirmingCountries: { required: (v) => `at least ${v}` },
};

const say = (name: string, side: 'required' | 'observed', value: string | number | boolean | null) => {
  const word = wording[name]?.[side];
  return typeof value === 'number' && word ? word(value) : show(value);
};

function Verdict(props: { d: Explanation }) {
  const { evaluation } = props.d;
  const failing = evaluation.criteria.filter((c) => !c.pass).map((c) => c.name);
  return evaluation.included ? (
    <p>
      Meets every criterion of criteria version {evaluation.criteriaVersion}
      {props.d.state === 'listed' ? ' and is on the list.' : '; it is listed at the next build.'}
    </p>
  ) : (
    <p>
      <strong>Not listed</strong> under criteria version {evaluation.criteriaVersion}: it fails{' '}
      {failing.map((name, i) => (
        <>
          {i > 0 && ', '}
          <code>{name}</code>
        </>
      ))}
      .
    </p>
  );
}

function Actions(props: { d: Explanation; csrf: string }) {
  const { d, csrf } = props;
  const canonical = canonicalize(d.listKey);
  const registrable =
    !(canonical instanceof CanonicalizeError) && canonical.kind === 'domain' && canonical.domain === d.listKey;
  const excluded = d.state === 'excluded';
  const policy = d.decisions.find((x) => x.kind === 'policy')?.detail?.granularity ?? 'registrable';
  return (
    <section class="card" aria-labelledby="actions">
      <h2 id="actions">Act on this domain</h2>
      <div class="grid">
        <form method="post" action={`${path(d.listKey)}/${excluded ? 'restore' : 'exclude'}`} class="stack">
          <h3>{excluded ? 'Restore' : 'Exclude'}</h3>
          <p class="hint">
            {excluded
              ? 'Lift the exclusion: the evidence decides again from the next build.'
              : 'Never list this domain, whatever its evidence, from the next build on.'}
          </p>
          <CsrfField token={csrf} />
          <ReasonField id={excluded ? 'restore-reason' : 'exclude-reason'} />
          <div>
            <button type="submit" class={excluded ? undefined : 'danger'}>
              {excluded ? 'Restore' : 'Exclude'}
            </button>
          </div>
        </form>
        {registrable ? (
          <form method="post" action={`${path(d.listKey)}/policy`} class="stack">
            <h3>Hostname policy</h3>
            <p class="hint">For shared hosting: list each reported hostname instead of the whole domain.</p>
            <CsrfField token={csrf} />
            <div>
              <label for="granularity">List</label>{' '}
              <select id="granularity" name="granularity">
                <option value="registrable" selected={policy === 'registrable'}>
                  the registrable domain
                </option>
                <option value="hostname" selected={policy === 'hostname'}>
                  each hostname
                </option>
              </select>
            </div>
            <ReasonField id="policy-reason" />
            <div>
              <button type="submit" class="secondary">
                Set policy
              </button>
            </div>
          </form>
        ) : (
          <p class="hint">
            A hostname policy is set on a registrable domain
            {canonical instanceof CanonicalizeError ? '.' : ` (${canonical.domain}).`}
          </p>
        )}
      </div>
    </section>
  );
}

async function renderDomain(
  c: Context<ConsoleEnv>,
  kit: ConsoleKit,
  listKey: string,
  failure?: Flash,
  status?: 403 | 409 | 422,
) {
  const d = await explainDomain(kit.deps, listKey);
  return page(
    c,
    { title: d.listKey, current: 'domains', flash: failure, status },
    <>
      <h1>
        <code>{d.listKey}</code> <Badge kind={d.state} />
      </h1>
      <Verdict d={d} />
      <section class="card" aria-labelledby="criteria">
        <h2 id="criteria">Criteria</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">Required</th>
              <th scope="col">Observed</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {d.evaluation.criteria.map((line) => (
              <tr class={line.pass ? undefined : 'failing'}>
                <th scope="row">
                  <code>{line.name}</code>
                </th>
                <td>{say(line.name, 'required', line.required)}</td>
                <td>
                  {say(line.name, 'observed', line.observed)}
                  {line.note && <div class="hint">{line.note}</div>}
                </td>
                <td>
                  <Badge kind={line.pass ? 'pass' : 'fail'} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Evidence evidence={d.evidence} />
      <div class="grid">
        <section class="card" aria-labelledby="history">
          <h2 id="history">Listing history</h2>
          {d.history.length === 0 ? (
            <p class="muted">Never listed.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Added in</th>
                  <th scope="col">Removed in</th>
                </tr>
              </thead>
              <tbody>
                {d.history.map((h) => (
                  <tr>
                    <td>
                      <VersionLink version={h.addedVersion} />
                    </td>
                    <td>{h.removedVersion === null ? 'still listed' : <VersionLink version={h.removedVersion} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="card" aria-labelledby="decisions">
          <h2 id="decisions">Decisions and requests</h2>
          {d.decisions.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {d.decisions.map((x) => (
                  <tr>
                    <td>
                      <When at={x.at} />
                    </td>
                    <td>
                      {x.kind.replace('_', ' ')}
                      {'detail' in x && x.detail && (
                        <div class="hint">
                          {Object.entries(x.detail)
                            .map(([k, v]) => `${k}: ${String(v)}`)
                            .join(', ')}
                        </div>
                      )}
                      {x.by !== null && <div class="hint">by credential #{x.by}</div>}
                    </td>
                    <td>{x.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <Actions d={d} csrf={c.get('csrf')} />
    </>,
  );
}

export function registerDomain(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const staff = requireUser(kit, 'analyst', 'admin');
  const { deps } = kit;

  ui.get('/domains/:listKey', staff, (c) => renderDomain(c, kit, c.req.param('listKey')));

  /** Runs a decision; success redirects to the domain page with `done`, a failure shows it there. */
  const decide =
    (done: string, act: (c: Context<ConsoleEnv>, form: Record<string, unknown>) => Promise<unknown>) =>
    async (c: Context<ConsoleEnv>) => {
      const listKey = c.req.param('listKey')!;
      try {
        await act(c, await c.req.parseBody());
      } catch (error) {
        const failure = formFailure(error);
        if (!failure) throw error;
        // The page itself exists: a refused decision is a conflict with the domain's state, or bad input.
        const status = failure.status === 422 ? 422 : failure.status === 403 ? 403 : 409;
        return renderDomain(c, kit, listKey, { kind: 'error', text: failure.text }, status);
      }
      return c.redirect(`${path(listKey)}?done=${done}`, 303);
    };

  ui.post(
    '/domains/:listKey/exclude',
    staff,
    decide('excluded', async (c, form) => {
      const { reason } = reasonInput.parse({ reason: form.reason });
      await excludeDomain(deps, c.get('user'), c.req.param('listKey')!, reason, c.get('clientIp'));
    }),
  );
  ui.post(
    '/domains/:listKey/restore',
    staff,
    decide('restored', async (c, form) => {
      const { reason } = reasonInput.parse({ reason: form.reason });
      await restoreDomain(deps, c.get('user'), c.req.param('listKey')!, reason, c.get('clientIp'));
    }),
  );
  ui.post(
    '/domains/:listKey/policy',
    staff,
    decide('policy', async (c, form) => {
      const input = policyInput.parse({ granularity: form.granularity, reason: form.reason });
      await setDomainPolicy(deps, c.get('user'), c.req.param('listKey')!, input, c.get('clientIp'));
    }),
  );
}
