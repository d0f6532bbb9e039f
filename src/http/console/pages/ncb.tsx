/**
 * The NCB page: its work queue (ISPs stale by time, WOL_ISP_STALE_HOURS), the ISPs of its
 * country with the version each last pulled, how far behind it is and whether it is stale, and the zone transfers of each key that takes the RPZ as a secondary zone; issuing ISP keys and
 * revoking the keys this NCB issued. The form that issues a key redirects (post/redirect/get);
 * the new key travels in the sealed one-time flash cookie, so it is shown on the one page the
 * redirect lands on and a reload issues nothing and shows nothing. Revoking asks first.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { credentialInput } from '../../../schemas/credentials.ts';
import { issueCredential, revokeCredential, visibleCredentials } from '../../../services/credentials.ts';
import { ncbIspStatus } from '../../../services/distribution.ts';
import { ispStaleBefore, isStale } from '../../../services/work-queues.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { notFoundPage } from '../failures.tsx';
import { redirectFailure, redirectWith } from '../flash.ts';
import { requireUser, userCaller } from '../guard.tsx';
import { Badge, CsrfField, count, FieldError, formState, invalid, When } from '../views/components.tsx';
import { page } from '../views/layout.tsx';

const KEYS_SHOWN = 200;
const credentialId = z.coerce.number().int().positive().max(2_147_483_647);

/** How far a puller's last version is behind the newest (the NCBs page uses it too). */
export function behind(n: number | null) {
  if (n === null) return <Badge kind="open">never pulled</Badge>;
  if (n === 0) return <Badge kind="pass">current</Badge>;
  return <Badge kind="fail">{`${count(n)} version${n === 1 ? '' : 's'} behind`}</Badge>;
}

export function registerNcb(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const ncb = requireUser(kit, 'ncb');
  const { deps } = kit;

  const render = async (c: Context<ConsoleEnv>) => {
    const user = c.get('user');
    const issued = c.get('flash')?.issued;
    const form = formState(c.get('flash'), 'issue');
    const [status, keys] = await Promise.all([
      ncbIspStatus(deps, { caller: userCaller(c) }),
      visibleCredentials(deps, { caller: userCaller(c), input: { limit: KEYS_SHOWN } }),
    ]);
    const ispName = new Map(status.items.map((i) => [i.organisationId, i.name]));
    const staleBefore = ispStaleBefore(deps);
    const stale = status.items.filter((isp) => isStale(isp.lastPulledAt, staleBefore)).length;
    const transfers = status.items.flatMap((isp) => isp.zoneTransfers.map((t) => ({ isp: isp.name, t })));
    return page(
      c,
      { title: 'ISPs', current: 'ncb' },
      <>
        <h1>ISPs in {user.country}</h1>
        {issued && (
          <section class="card" aria-labelledby="issued">
            <h2 id="issued">New key for {ispName.get(issued.organisationId ?? 0) ?? 'the ISP'}</h2>
            <p>
              Give this key to the ISP now. It is shown only this once: the service keeps only its hash, and reloading
              this page does not show it again.
            </p>
            <code class="token">{issued.token}</code>
          </section>
        )}
        <section class="card" aria-labelledby="queues-heading">
          <h2 id="queues-heading">Work queue</h2>
          <dl class="stats">
            <div>
              <dt>Stale ISPs</dt>
              <dd>
                <a href="#status">{count(stale)}</a>
                <small>{`no pull for ${deps.config.WOL_ISP_STALE_HOURS} h or more`}</small>
              </dd>
            </div>
          </dl>
        </section>
        <section class="card" aria-labelledby="status">
          <h2 id="status">Pull status</h2>
          <p class="hint">
            The newest version is {status.latestVersion === null ? 'not built yet' : `v${status.latestVersion}`}. An ISP
            that has not pulled for {deps.config.WOL_ISP_STALE_HOURS} hours is marked stale.
          </p>
          {status.items.length === 0 ? (
            <p class="muted">No ISP organisation is registered in your country; an admin creates them.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">ISP</th>
                  <th scope="col" class="num">
                    Active keys
                  </th>
                  <th scope="col">Last pulled</th>
                  <th scope="col">When</th>
                  <th scope="col">Behind</th>
                </tr>
              </thead>
              <tbody>
                {status.items.map((isp) => (
                  <tr>
                    <td>{isp.name}</td>
                    <td class="num">
                      {count(isp.activeCredentials)} of {count(isp.credentials)}
                    </td>
                    <td>
                      {isp.lastPulledVersion === null ? '—' : `v${isp.lastPulledVersion}`}
                      {isp.lastPulledFormat && <span class="muted"> ({isp.lastPulledFormat})</span>}
                    </td>
                    <td>
                      <When at={isp.lastPulledAt} />
                      {isStale(isp.lastPulledAt, staleBefore) && (
                        <>
                          {' '}
                          <Badge kind="fail">stale</Badge>
                        </>
                      )}
                    </td>
                    <td>{behind(isp.versionsBehind)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {transfers.length > 0 && (
          <section class="card" aria-labelledby="transfers">
            <h2 id="transfers">Zone transfers</h2>
            <p class="hint">
              Keys whose resolvers take the RPZ as a secondary zone: the version each holds (its serial) is its
              currency.
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">ISP</th>
                  <th scope="col">Key</th>
                  <th scope="col">Serial</th>
                  <th scope="col" class="num">
                    AXFR
                  </th>
                  <th scope="col" class="num">
                    IXFR
                  </th>
                  <th scope="col">Last</th>
                  <th scope="col">Behind</th>
                </tr>
              </thead>
              <tbody>
                {transfers.map(({ isp, t }) => (
                  <tr>
                    <td>{isp}</td>
                    <td>
                      {t.label}
                      {t.usableKeys === 0 && <span class="muted"> (no usable TSIG key)</span>}
                    </td>
                    <td>{t.serial === null ? '—' : `v${t.serial}`}</td>
                    <td class="num">{count(t.axfr)}</td>
                    <td class="num">{count(t.ixfr)}</td>
                    <td>
                      <When at={t.lastAt} empty="never" />
                      {t.lastVia && <span class="muted"> ({t.lastVia})</span>}
                    </td>
                    <td>{behind(t.versionsBehind)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        {status.items.length > 0 && (
          <section class="card" aria-labelledby="issue">
            <h2 id="issue">Issue an ISP key</h2>
            <form method="post" action="/console/ncb/credentials" class="row">
              <CsrfField token={c.get('csrf')} />
              <div>
                <label for="organisation">ISP</label>
                <select id="organisation" name="organisationId" required>
                  {status.items.map((isp) => (
                    <option
                      value={String(isp.organisationId)}
                      selected={form.values.organisationId === String(isp.organisationId)}
                    >
                      {isp.name}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label for="label">Label</label>
                <input
                  id="label"
                  name="label"
                  required
                  maxlength={200}
                  placeholder="resolver cluster 1"
                  value={form.values.label ?? ''}
                  {...invalid('label', form, 'label')}
                />
                <FieldError id="label" state={form} field="label" />
              </div>
              <div>
                <label for="expires">Expires on (optional)</label>
                <input
                  id="expires"
                  name="expiresOn"
                  type="date"
                  value={form.values.expiresOn ?? ''}
                  {...invalid('expires', form, 'expiresAt')}
                />
                <FieldError id="expires" state={form} field="expiresAt" />
              </div>
              <div>
                <button type="submit">Issue key</button>
              </div>
            </form>
          </section>
        )}
        <section class="card" aria-labelledby="keys">
          <h2 id="keys">Keys you issued</h2>
          {keys.length === 0 ? (
            <p class="muted">None yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">ISP</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr>
                    <td>{k.label}</td>
                    <td>{(k.organisationId !== null && ispName.get(k.organisationId)) || '—'}</td>
                    <td>
                      <When at={k.createdAt} />
                    </td>
                    <td>
                      <When at={k.expiresAt} empty="never" />
                    </td>
                    <td>
                      <When at={k.lastUsedAt} empty="never" />
                    </td>
                    <td>
                      {k.revokedAt ? (
                        <Badge kind="excluded">revoked</Badge>
                      ) : (
                        <a href={`/console/ncb/credentials/${k.id}/revoke`} aria-label={`Revoke the key ${k.label}…`}>
                          Revoke…
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </>,
    );
  };

  ui.get('/ncb', ncb, (c) => render(c));

  ui.post('/ncb/credentials', ncb, async (c) => {
    const form = await c.req.parseBody();
    try {
      const expiresOn =
        typeof form.expiresOn === 'string' && form.expiresOn ? `${form.expiresOn}T23:59:59Z` : undefined;
      const input = credentialInput.parse({
        organisationId: form.organisationId,
        role: 'isp',
        label: form.label,
        ...(expiresOn ? { expiresAt: expiresOn } : {}),
      });
      const issued = await issueCredential(deps, { caller: userCaller(c), input });
      return redirectWith(kit, c, '/console/ncb', {
        kind: 'ok',
        text: 'The key is issued.',
        issued: { token: issued.token, organisationId: issued.organisationId },
      });
    } catch (error) {
      return redirectFailure(kit, c, '/console/ncb', error, 'issue', form);
    }
  });

  /** The key a revoke names, if this NCB may see it. */
  const visibleKey = async (c: Context<ConsoleEnv>) => {
    const id = credentialId.safeParse(c.req.param('id'));
    if (!id.success) return undefined;
    const keys = await visibleCredentials(deps, { caller: userCaller(c), input: { limit: KEYS_SHOWN } });
    return keys.find((k) => k.id === id.data);
  };

  ui.get('/ncb/credentials/:id/revoke', ncb, async (c) => {
    const key = await visibleKey(c);
    if (!key) return notFoundPage(c);
    const status = await ncbIspStatus(deps, { caller: userCaller(c) });
    const isp = status.items.find((i) => i.organisationId === key.organisationId)?.name ?? 'the ISP';
    return page(
      c,
      { title: 'Revoke the key?', current: 'ncb' },
      <section class="card" aria-labelledby="revoke">
        <h1 id="revoke">Revoke the key “{key.label}”?</h1>
        {key.revokedAt ? (
          <p>This key is revoked already.</p>
        ) : (
          <>
            <p>
              {isp}’s key “{key.label}” stops working at once: its next pull is refused, and its zone transfers with it.
              Last used: <When at={key.lastUsedAt} empty="never" />. This cannot be undone; a new key can be issued.
            </p>
            <form method="post" action={`/console/ncb/credentials/${key.id}/revoke`} class="row">
              <CsrfField token={c.get('csrf')} />
              <button type="submit" class="danger">
                Revoke “{key.label}”
              </button>
              <a href="/console/ncb">Cancel</a>
            </form>
          </>
        )}
      </section>,
    );
  });

  ui.post('/ncb/credentials/:id/revoke', ncb, async (c) => {
    const id = credentialId.safeParse(c.req.param('id'));
    if (!id.success) return notFoundPage(c);
    await revokeCredential(deps, { caller: userCaller(c), input: { id: id.data } });
    return c.redirect('/console/ncb?done=revoked', 303);
  });
}
