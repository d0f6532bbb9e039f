/** One version: its figures, what its signed manifest says, and the keys it added and removed (paged). */
import type { Hono } from 'hono';
import { z } from 'zod';
import { versionDetail } from '../../../services/overview.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { notFoundPage } from '../failures.tsx';
import { requireUser } from '../guard.tsx';
import { withQuery } from '../refs.ts';
import { count, DomainLink, VersionLink, When, waited } from '../views/components.tsx';
import { page } from '../views/layout.tsx';

const PAGE_SIZE = 100;
const versionParam = z.coerce.number().int().min(1).max(2_147_483_647);
const cursor = z.string().min(1).max(253).optional().catch(undefined);
const fromSeconds = (s: number) => new Date(s * 1000);

function KeyList(props: {
  kit: ConsoleKit;
  id: string;
  title: string;
  keys: { items: string[]; next: string | null };
  more: string;
  moreText: string;
}) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.keys.items.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul>
          {props.keys.items.map((key) => (
            <li>
              <DomainLink listKey={key} href={props.kit.refs.domain(key)} />
            </li>
          ))}
        </ul>
      )}
      {props.keys.next && (
        <p>
          <a href={props.more}>{props.moreText}</a>
        </p>
      )}
    </section>
  );
}

export function registerVersion(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  ui.get('/versions/:version', requireUser(kit, 'analyst', 'admin'), async (c) => {
    const version = versionParam.safeParse(c.req.param('version'));
    if (!version.success) return notFoundPage(c);
    // The cursors name domains, so they travel sealed (refs.ts).
    const sealed = kit.refs.openQuery(c.req.query('s'));
    const addedAfter = cursor.parse(sealed.added_after);
    const removedAfter = cursor.parse(sealed.removed_after);
    const d = await versionDetail(kit.deps, version.data, { addedAfter, removedAfter, limit: PAGE_SIZE });
    const { snapshot: s, manifest } = d;
    const p = manifest.payload;
    const here = `/console/versions/${s.version}`;
    return page(
      c,
      { title: `Version ${s.version}`, current: 'builds' },
      <>
        <h1>Version {s.version}</h1>
        <nav class="pager" aria-label="Versions">
          {s.version > 1 && <a href={`/console/versions/${s.version - 1}`}>Previous version</a>}
          {s.version < d.latestVersion && <a href={`/console/versions/${s.version + 1}`}>Next version</a>}
        </nav>
        <div class="grid">
          <section class="card" aria-labelledby="figures">
            <h2 id="figures">Figures</h2>
            <dl class="facts">
              <dt>Created</dt>
              <dd>
                <When at={s.createdAt} />
              </dd>
              <dt>Entries</dt>
              <dd>{count(s.entryCount)}</dd>
              <dt>Added</dt>
              <dd>{count(s.addedCount)}</dd>
              <dt>Removed</dt>
              <dd>{count(s.removedCount)}</dd>
              <dt>Listed for the first time</dt>
              <dd>{count(d.timeToListing.firstListed)}</dd>
              <dt>Their time from first report to listing</dt>
              <dd>
                {d.timeToListing.firstListed === 0
                  ? '—'
                  : `median ${waited(d.timeToListing.medianSeconds)}, longest ${waited(d.timeToListing.maxSeconds)}`}
              </dd>
              <dt>Criteria version</dt>
              <dd>{s.criteriaVersion}</dd>
              <dt>Manifest SHA-256</dt>
              <dd class="mono">{s.manifestSha256}</dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="manifest">
            <h2 id="manifest">Signed manifest</h2>
            <dl class="facts">
              <dt>Signature key id</dt>
              <dd class="mono">{manifest.header.kid ?? '—'}</dd>
              <dt>Algorithm, type</dt>
              <dd>
                {manifest.header.alg}, <code>{manifest.header.typ}</code>
              </dd>
              <dt>List, version</dt>
              <dd>
                {p.list}, {p.version}
              </dd>
              <dt>Issued (iat)</dt>
              <dd>
                <When at={fromSeconds(p.iat)} />
              </dd>
              <dt>Expires (exp)</dt>
              <dd>
                <When at={fromSeconds(p.exp)} />
              </dd>
              <dt>Criteria</dt>
              <dd>
                v{p.criteria.version} <span class="mono">{p.criteria.sha256}</span>
              </dd>
              <dt>Previous</dt>
              <dd>
                {p.previous ? (
                  <>
                    <VersionLink version={p.previous.version} /> <span class="mono">{p.previous.manifestSha256}</span>
                  </>
                ) : (
                  'none (first version)'
                )}
              </dd>
              <dt>Entries</dt>
              <dd>
                {count(p.entries.count)} <span class="mono">{p.entries.sha256}</span>
              </dd>
            </dl>
            <table>
              <caption>Artifacts</caption>
              <thead>
                <tr>
                  <th scope="col">Format</th>
                  <th scope="col" class="num">
                    Bytes
                  </th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(p.artifacts).map(([format, a]) => (
                  <tr>
                    <td>{format}</td>
                    <td class="num">{count(a.bytes)}</td>
                    <td class="mono">{a.sha256}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
        <div class="grid">
          <KeyList
            kit={kit}
            id="added"
            title={`Added in version ${s.version} (${count(s.addedCount)})`}
            keys={d.added}
            moreText="More added keys"
            more={withQuery(kit.refs, here, { added_after: d.added.next ?? undefined, removed_after: removedAfter })}
          />
          <KeyList
            kit={kit}
            id="removed"
            title={`Removed in version ${s.version} (${count(s.removedCount)})`}
            keys={d.removed}
            moreText="More removed keys"
            more={withQuery(kit.refs, here, { removed_after: d.removed.next ?? undefined, added_after: addedAfter })}
          />
        </div>
      </>,
    );
  });
}
