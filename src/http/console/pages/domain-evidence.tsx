/**
 * The evidence card of a domain page: what the criteria count (the summary counts only the
 * assessments that count, so it agrees with the criteria table), each assessment with
 * whether it counts and why not, organisations, hosts, the latest observation.
 */
import type { lookUpDomain } from '../../../services/domains.ts';
import { Badge, count, When } from '../views/components.tsx';

type EvidenceData = NonNullable<Awaited<ReturnType<typeof lookUpDomain>>['explanation']>['evidence'];
type Assessment = EvidenceData['assessments'][number];
type Failing = Assessment['failing'][number];

/** A failed per-assessment criterion in plain words. */
function because(line: Failing): string {
  switch (line.name) {
    case 'realChild':
      return 'not assessed as a real child';
    case 'apparentAge':
      return `apparent age ${String(line.observed).replace(/_/g, ' ')}, older than ${String(line.required).replace(/_/g, ' ')}`;
    case 'severity':
      return `severity ${line.observed}, below ${line.required}`;
    case 'onlineWithinDays':
      return `seen online ${line.observed} days ago, more than ${line.required}`;
    case 'reportsOnline':
      return 'its report is observed offline';
    default:
      return `fails ${line.name}`;
  }
}

/** Why an assessment does not count; the criteria's window is checked to the second, hence the last case. */
function whyNot(a: Assessment, onlineWithinDays: number): string {
  if (a.verdict !== 'confirmed') return 'not a confirmation';
  if (a.failing.length > 0) return a.failing.map(because).join('; ');
  return `seen online more than ${onlineWithinDays} days ago`;
}

export function Evidence(props: { evidence: EvidenceData; onlineWithinDays: number }) {
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
        <dt>Assessments that count</dt>
        <dd>
          {count(e.countingAssessments)}
          {e.assessments.length > e.countingAssessments && (
            <span class="muted"> (of {count(e.assessments.length)} shown below)</span>
          )}
        </dd>
        <dt>Countries that count</dt>
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
      <h3 id="assessments">Assessments</h3>
      {e.assessments.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <div class="scroll">
          <table aria-labelledby="assessments">
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Host</th>
                <th scope="col">Verdict</th>
                <th scope="col">Real child</th>
                <th scope="col">Apparent age</th>
                <th scope="col" class="num">
                  Severity
                </th>
                <th scope="col">Seen online</th>
                <th scope="col">Counts</th>
              </tr>
            </thead>
            <tbody>
              {e.assessments.map((a) => (
                <tr>
                  <td>
                    {a.organisation} <span class="muted">({a.country})</span>
                  </td>
                  <td>
                    <code>{a.host}</code>
                  </td>
                  <td>{a.verdict.replace('_', ' ')}</td>
                  <td>{a.realChild ? 'yes' : 'no'}</td>
                  <td>{a.apparentAge.replace(/_/g, ' ')}</td>
                  <td class="num">{a.severity}</td>
                  <td>
                    <When at={a.observedOnlineAt} />
                    {!a.reportOnline && <div class="hint">report observed offline</div>}
                  </td>
                  <td>
                    {a.counts ? (
                      <Badge kind="pass">counts</Badge>
                    ) : (
                      <>
                        <Badge kind="fail">does not count</Badge>
                        <div class="hint">{whyNot(a, props.onlineWithinDays)}</div>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
                    Confirmations
                  </th>
                  <th scope="col" class="num">
                    That count
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
                    <td class="num">{count(o.countingAssessments)}</td>
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
