/**
 * The known-material card of a domain page (issue 21): the domain's reports whose items carry a
 * hash already classified on another report, with that classification, as the API's
 * evidence.knownContent says. Counts only, never who classified it; a match informs the analyst
 * and lists nothing (the criteria still decide).
 */
import type { lookUpDomain } from '../../../services/domains.ts';
import { Badge, count } from '../views/components.tsx';

type KnownContent = NonNullable<Awaited<ReturnType<typeof lookUpDomain>>['explanation']>['evidence']['knownContent'];

export function KnownMaterial(props: { knownContent: KnownContent }) {
  return (
    <section class="card" aria-labelledby="known-material">
      <h2 id="known-material">Known material</h2>
      {props.knownContent.length === 0 ? (
        <p class="muted">No report names a hash classified on another report.</p>
      ) : (
        <>
          <p class="hint">
            Reports whose items match, by content hash, items classified on other reports. A match lists nothing by
            itself.
          </p>
          <div class="scroll">
            <table aria-labelledby="known-material">
              <thead>
                <tr>
                  <th scope="col">Report</th>
                  <th scope="col">Classified elsewhere as</th>
                  <th scope="col" class="num">
                    Hashes matched
                  </th>
                  <th scope="col" class="num">
                    Assessments
                  </th>
                  <th scope="col" class="num">
                    Organisations
                  </th>
                  <th scope="col" class="num">
                    Confirmed
                  </th>
                  <th scope="col" class="num">
                    Meeting the per-item criteria
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.knownContent.map((k) => (
                  <tr>
                    <td>
                      <code>{k.url}</code> <span class="muted">(report {k.reportId})</span>
                    </td>
                    <td>
                      <Badge kind={k.classification.verdict === 'confirmed' ? 'candidate' : 'reported'}>
                        {k.classification.verdict.replace('_', ' ')}
                      </Badge>{' '}
                      {k.classification.realChild ? 'real child' : 'not a real child'}, apparent age{' '}
                      {k.classification.apparentAge.replace(/_/g, ' ')}, severity {k.classification.severity}
                      {k.classification.contentType && `, ${k.classification.contentType}`}
                      <div class="hint">the most recent of those assessments</div>
                    </td>
                    <td class="num">{count(k.matchedHashes)}</td>
                    <td class="num">{count(k.assessments)}</td>
                    <td class="num">{count(k.organisations)}</td>
                    <td class="num">
                      {count(k.confirmed)}
                      {k.notConfirmed > 0 && <span class="muted"> ({count(k.notConfirmed)} not)</span>}
                    </td>
                    <td class="num">{count(k.qualifying)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
