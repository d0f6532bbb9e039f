/**
 * The NCBs page (issue 17), for the central operator's admins: each NCB with the version its
 * key last pulled and when, which for a national instance is its last sync, and how far behind
 * the newest version that is; as the NCB page shows its ISPs. Below, the stale ISPs of every
 * country (the dashboard's work queue links here).
 */
import type { Hono } from 'hono';
import { ncbSyncStatus } from '../../../services/distribution.ts';
import { staleIsps } from '../../../services/work-queues.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { requireUser } from '../guard.tsx';
import { count, When } from '../views/components.tsx';
import { page } from '../views/layout.tsx';
import { behind } from './ncb.tsx';

export function registerNcbs(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/ncbs', requireUser(kit, 'admin'), async (c) => {
    const status = await ncbSyncStatus(kit.deps);
    const stale = await staleIsps(kit.deps);
    return page(
      c,
      { title: 'NCBs', current: 'ncbs' },
      <>
        <h1>NCBs</h1>
        <section class="card" aria-labelledby="sync">
          <h2 id="sync">Last synced version</h2>
          <p class="hint">
            The newest version is {status.latestVersion === null ? 'not built yet' : `v${status.latestVersion}`}. A
            national instance syncs with its NCB key: its last pull is its last sync.
          </p>
          {status.items.length === 0 ? (
            <p class="muted">No NCB organisation is registered.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">NCB</th>
                  <th scope="col">Country</th>
                  <th scope="col" class="num">
                    Active keys
                  </th>
                  <th scope="col">Last synced</th>
                  <th scope="col">When</th>
                  <th scope="col">Behind</th>
                </tr>
              </thead>
              <tbody>
                {status.items.map((ncb) => (
                  <tr>
                    <td>{ncb.name}</td>
                    <td>{ncb.country}</td>
                    <td class="num">
                      {count(ncb.activeCredentials)} of {count(ncb.credentials)}
                    </td>
                    <td>
                      {ncb.lastPulledVersion === null ? '—' : `v${ncb.lastPulledVersion}`}
                      {ncb.lastPulledFormat && <span class="muted"> ({ncb.lastPulledFormat})</span>}
                    </td>
                    <td>
                      <When at={ncb.lastPulledAt} />
                    </td>
                    <td>{behind(ncb.versionsBehind)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="card" aria-labelledby="stale-isps">
          <h2 id="stale-isps">Stale ISPs</h2>
          <p class="hint">
            ISPs of every country that have not pulled the list for {kit.deps.config.WOL_ISP_STALE_HOURS} hours or more,
            or never have: their NCB follows them up.
          </p>
          {stale.length === 0 ? (
            <p class="muted">Every ISP has pulled recently.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">ISP</th>
                  <th scope="col">Country</th>
                  <th scope="col">Last pulled</th>
                </tr>
              </thead>
              <tbody>
                {stale.map((isp) => (
                  <tr>
                    <td>{isp.name}</td>
                    <td>{isp.country}</td>
                    <td>
                      <When at={isp.lastPulledAt} empty="never" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </>,
    );
  });
}
