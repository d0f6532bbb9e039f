/**
 * One domain: why it is or is not listed (the criteria table), the decision in force and what
 * the next build does, the evidence behind it, its listing history and decisions, and the
 * forms to exclude, restore and set its hostname policy. The page is addressed by the sealed
 * name (refs.ts), which may be a hostname or URL: it shows the list key that falls under.
 * Each form posts, then redirects back here (flash.ts carries an error and what was typed).
 */
import type { Context, Hono } from 'hono';
import { CanonicalizeError, canonicalize } from '../../../core/canonicalize.ts';
import { failures } from '../../../core/criteria.ts';
import { nextBuild } from '../../../core/domain-state.ts';
import { type Granularity, granularities } from '../../../core/vocabulary.ts';
import { policyInput, reasonInput } from '../../../schemas/domains.ts';
import { peopleNamed } from '../../../services/audit.ts';
import { excludeDomain, lookUpDomain, restoreDomain, setDomainPolicy } from '../../../services/domains.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { errorPage, notFoundPage } from '../failures.tsx';
import { redirectFailure } from '../flash.ts';
import { requireUser, userCaller } from '../guard.tsx';
import {
  Badge,
  CodeNames,
  CsrfField,
  type FormState,
  formState,
  Person,
  ReasonField,
  VersionLink,
  When,
} from '../views/components.tsx';
import { page } from '../views/layout.tsx';
import { Evidence } from './domain-evidence.tsx';
import { KnownMaterial } from './domain-known-content.tsx';

type Explanation = NonNullable<Awaited<ReturnType<typeof lookUpDomain>>['explanation']>;

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

/** The criteria's window, as the criteria table states it. */
const onlineWithinDays = (d: Explanation) =>
  Number(d.evaluation.criteria.find((c) => c.name === 'onlineWithinDays')?.required ?? 0);

function Verdict(props: { d: Explanation }) {
  const { evaluation } = props.d;
  const { own, becauseOffline } = failures(evaluation);
  return evaluation.included ? (
    <p>Meets every criterion of criteria version {evaluation.criteriaVersion}.</p>
  ) : (
    <p>
      <strong>Not included</strong> under criteria version {evaluation.criteriaVersion}: it fails{' '}
      <CodeNames names={own} />
      {becauseOffline.length > 0 && (
        <>
          ; <CodeNames names={becauseOffline} /> {becauseOffline.length === 1 ? 'fails' : 'fail'} only because reports
          are observed offline
        </>
      )}
      .
    </p>
  );
}

const nextBuildText = {
  keeps: 'The next build keeps it on the list.',
  removes: 'The next build removes it from the list.',
  adds: 'The next build adds it to the list.',
  'leaves out': 'The next build leaves it off the list.',
} as const;

/** The policy form's choices: what the domain's reports are listed under. */
const granularityChoice: Record<Granularity, string> = {
  registrable: 'the registrable domain',
  hostname: 'each hostname',
};

/** The decision in force (the newest exclusion or restore) and what the next build does with the domain. */
function InForce(props: { d: Explanation }) {
  const { d } = props;
  const listed = d.history.some((h) => h.removedVersion === null);
  const decision = d.decisions.find((x) => x.kind === 'exclusion' || x.kind === 'restore');
  return (
    <section class="card" aria-labelledby="in-force">
      <h2 id="in-force">Decision in force</h2>
      <p>
        {d.excluded && decision ? (
          <>
            <strong>Excluded</strong> since <When at={decision.at} />
            {decision.reason && <> — {decision.reason}</>}.
          </>
        ) : decision ? (
          <>
            No exclusion: the last one was lifted <When at={decision.at} />. The evidence decides.
          </>
        ) : (
          'No exclusion: the evidence decides.'
        )}{' '}
        {nextBuildText[nextBuild(listed, d.evaluation.included)]}
      </p>
    </section>
  );
}

function Actions(props: { d: Explanation; csrf: string; href: string; exclusion: FormState; policyForm: FormState }) {
  const { d, csrf } = props;
  const canonical = canonicalize(d.listKey);
  const registrable =
    !(canonical instanceof CanonicalizeError) && canonical.kind === 'domain' && canonical.domain === d.listKey;
  // The decision in force, not the listing: an excluded domain that is still listed is restored here at once.
  const excluded = d.excluded;
  const policy =
    props.policyForm.values.granularity ??
    d.decisions.find((x) => x.kind === 'policy')?.detail?.granularity ??
    'registrable';
  return (
    <section class="card" aria-labelledby="actions">
      <h2 id="actions">Act on this domain</h2>
      <div class="grid">
        <form method="post" action={`${props.href}/${excluded ? 'restore' : 'exclude'}`} class="stack">
          <h3>{excluded ? 'Restore' : 'Exclude'}</h3>
          <p class="hint">
            {excluded
              ? 'Lift the exclusion: the evidence decides again from the next build.'
              : 'Never list this domain, whatever its evidence, from the next build on.'}
          </p>
          <CsrfField token={csrf} />
          <ReasonField id={excluded ? 'restore-reason' : 'exclude-reason'} state={props.exclusion} />
          <div>
            <button type="submit" class={excluded ? undefined : 'danger'}>
              {excluded ? 'Restore' : 'Exclude'}
            </button>
          </div>
        </form>
        {registrable ? (
          <form method="post" action={`${props.href}/policy`} class="stack">
            <h3>Hostname policy</h3>
            <p class="hint">For shared hosting: list each reported hostname instead of the whole domain.</p>
            <CsrfField token={csrf} />
            <div>
              <label for="granularity">List</label>{' '}
              <select id="granularity" name="granularity">
                {granularities.map((value) => (
                  <option value={value} selected={policy === value}>
                    {granularityChoice[value]}
                  </option>
                ))}
              </select>
            </div>
            <ReasonField id="policy-reason" state={props.policyForm} />
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

async function renderDomain(c: Context<ConsoleEnv>, kit: ConsoleKit, name: string) {
  const found = await lookUpDomain(kit.deps, name);
  const d = found.explanation;
  if (!d)
    return errorPage(
      c,
      404,
      'Not found',
      found.listKey === name
        ? `nothing is known about ${name}`
        : `nothing is known about ${name}, nor about ${found.listKey}, the list key it falls under`,
    );
  const href = kit.refs.domain(d.listKey);
  const people = await peopleNamed(kit.deps, [...new Set(d.decisions.flatMap((x) => (x.by === null ? [] : [x.by])))]);
  const flash = c.get('flash');
  const listedSince = d.history.find((h) => h.removedVersion === null)?.addedVersion;
  return page(
    c,
    { title: d.listKey, current: 'domains' },
    <>
      <h1>
        <code>{d.listKey}</code> <Badge kind={d.state} />
      </h1>
      {found.host !== d.listKey && (
        <p class="hint">
          You looked up <code>{found.host}</code>: it falls under the list key <code>{d.listKey}</code> (hostname
          policy: {found.policy === 'hostname' ? 'each hostname' : 'the registrable domain'}).
        </p>
      )}
      {listedSince !== undefined && (
        <p>
          Listed since <VersionLink version={listedSince} />.
        </p>
      )}
      <Verdict d={d} />
      <InForce d={d} />
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
      <Evidence evidence={d.evidence} onlineWithinDays={onlineWithinDays(d)} />
      <KnownMaterial knownContent={d.evidence.knownContent} />
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
                      {x.by !== null && (
                        <div class="hint">
                          by <Person person={people.get(x.by)} empty="a key since deleted" />
                        </div>
                      )}
                    </td>
                    <td>{x.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <Actions
        d={d}
        csrf={c.get('csrf')}
        href={href}
        exclusion={formState(flash, 'exclusion')}
        policyForm={formState(flash, 'policy')}
      />
    </>,
  );
}

export function registerDomain(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const staff = requireUser(kit, 'analyst', 'admin');
  const { deps, refs } = kit;

  ui.get('/domains/:ref', staff, async (c) => {
    const name = refs.openDomain(c.req.param('ref'));
    if (name === null) return notFoundPage(c);
    return renderDomain(c, kit, name);
  });

  /** Runs a decision on the list key the page names; either way the browser is sent back to the page. */
  const decide =
    (
      done: string,
      form: 'exclusion' | 'policy',
      act: (c: Context<ConsoleEnv>, listKey: string, body: Record<string, unknown>) => Promise<unknown>,
    ) =>
    async (c: Context<ConsoleEnv>) => {
      const listKey = refs.openDomain(c.req.param('ref'));
      if (listKey === null) return notFoundPage(c);
      const body = await c.req.parseBody();
      const back = refs.domain(listKey);
      try {
        await act(c, listKey, body);
      } catch (error) {
        return redirectFailure(kit, c, back, error, form, body);
      }
      return c.redirect(`${back}?done=${done}`, 303);
    };

  ui.post(
    '/domains/:ref/exclude',
    staff,
    decide('excluded', 'exclusion', async (c, listKey, form) => {
      const { reason } = reasonInput.parse({ reason: form.reason });
      await excludeDomain(deps, { caller: userCaller(c), input: { listKey, reason } });
    }),
  );
  ui.post(
    '/domains/:ref/restore',
    staff,
    decide('restored', 'exclusion', async (c, listKey, form) => {
      const { reason } = reasonInput.parse({ reason: form.reason });
      await restoreDomain(deps, { caller: userCaller(c), input: { listKey, reason } });
    }),
  );
  ui.post(
    '/domains/:ref/policy',
    staff,
    decide('policy', 'policy', async (c, listKey, form) => {
      const policy = policyInput.parse({ granularity: form.granularity, reason: form.reason });
      await setDomainPolicy(deps, { caller: userCaller(c), input: { listKey, policy } });
    }),
  );
}
