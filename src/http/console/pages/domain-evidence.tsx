/** The evidence card of a domain page: counts, countries, organisations, hosts, latest observation. */
import type { explainDomain } from '../../../services/domains.ts';
import { count, When } from '../views/components.tsx';

type EvidenceData = Awaited<ReturnType<typeof explainDomain>>['evidence'];

export function Evidence(props: { evidence: EvidenceData }) {
  const e = props.evidence;
  return (
    <section class="card" aria-labelledby="evidence">
      <h2 id="evidence">Evidence</h2>
      <dl class="facts">
        <dt>Reports</dt>
        <dd>
          {count(e.reports)}
          {e.offlineReports > 0 && ` (${count(e.offlineReports)} observed offline)`}
        </dd>
        <dt>Confirmed assessments</dt>
        <dd>{count(e.confirmedAssessments)}</dd>
        <dt>Confirming countries</dt>
        <dd>{e.countries.length > 0 ? e.countries.join(', ') : '—'}</dd>
        <dt>Latest seen online</dt>
        <dd>
          <When at={e.latestOnlineAt} />
        </dd>
        <dt>Latest observation</dt>
        <dd>
          {e.latestObservation ? (
            <>
              {e.latestObservation.online ? 'online' : 'offline'}, <When at={e.latestObservation.observedAt} />
              {e.latestObservation.note && ` — ${e.latestObservation.note}`}
            </>
          ) : (
            <span class="muted">none recorded</span>
          )}
        </dd>
      </dl>
      <div class="grid">
        <div>
          <h3 id="organisations">Confirming organisations</h3>
          {e.organisations.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <table aria-labelledby="organisations">
              <thead>
                <tr>
                  <th scope="col">Organisation</th>
                  <th scope="col">Country</th>
                  <th scope="col" class="num">
                    Assessments
                  </th>
                  <th scope="col">Latest seen online</th>
                </tr>
              </thead>
              <tbody>
                {e.organisations.map((o) => (
                  <tr>
                    <td>{o.name}</td>
                    <td>{o.country}</td>
                    <td class="num">{count(o.assessments)}</td>
                    <td>
                      <When at={o.latestOnlineAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3 id="hosts">Reported hosts</h3>
          {e.hosts.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <table aria-labelledby="hosts">
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  <th scope="col" class="num">
                    Reports
                  </th>
                </tr>
              </thead>
              <tbody>
                {e.hosts.map((h) => (
                  <tr>
                    <td>
                      <code>{h.host}</code>
                    </td>
                    <td class="num">{count(h.reports)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
