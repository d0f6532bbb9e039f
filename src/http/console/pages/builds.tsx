/**
 * Builds: the runs with their outcome and duration, the versions, and "Build now", which
 * first says what the build would publish and asks for confirmation.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { buildSnapshot, previewBuild } from '../../../services/build.ts';
import { buildHistory } from '../../../services/overview.ts';
import type { ConsoleEnv, ConsoleKit } from '../env.ts';
import { formFailure } from '../failures.tsx';
import { redirectWith } from '../flash.ts';
import { requireUser, userCaller } from '../guard.tsx';
import { Badge, CsrfField, count, duration, VersionLink, When } from '../views/components.tsx';
import { page } from '../views/layout.tsx';
import { pageRange } from '../views/page-range.ts';

const PAGE_SIZE = 50;
const before = z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined);

export function registerBuilds(ui: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const staff = requireUser(kit, 'analyst', 'admin');
  const { deps } = kit;

  const render = async (c: Context<ConsoleEnv>) => {
    const history = await buildHistory(deps, { limit: PAGE_SIZE, before: before.parse(c.req.query('before')) });
    return page(
      c,
      { title: 'Builds', current: 'builds' },
      <>
        <h1>Builds</h1>
        <form method="get" action="/console/builds/confirm" class="row">
          <button type="submit">Build now…</button>
          <p class="hint">
            Compiles the list from the evidence now. The next page says what it would publish and asks you to confirm.
          </p>
        </form>
        <section class="card" aria-labelledby="runs">
          <h2 id="runs">Recent runs</h2>
          {history.runs.length === 0 ? (
            <p class="muted">No build has run yet.</p>
          ) : (
            <table>
              <caption>{`Runs ${pageRange(1, history.runs.length, history.runCount)}, newest first`}</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" class="num">
                    Duration
                  </th>
                  <th scope="col">Version</th>
                  <th scope="col" class="num">
                    Added
                  </th>
                  <th scope="col" class="num">
                    Removed
                  </th>
                  <th scope="col" class="num">
                    Evaluated
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.runs.map((run) => (
                  <tr>
                    <td>
                      <When at={run.startedAt} />
                    </td>
                    <td>{run.trigger}</td>
                    <td>
                      <Badge kind={run.outcome} />
                      {run.error && <div class="hint">{run.error}</div>}
                    </td>
                    <td class="num">{duration(run.durationMs)}</td>
                    <td>
                      <VersionLink version={run.version} />
                    </td>
                    <td class="num">{count(run.added)}</td>
                    <td class="num">{count(run.removed)}</td>
                    <td class="num">
                      {run.evaluated === null ? '' : count(run.evaluated)}
                      {run.full && <div class="hint">every key</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="card" aria-labelledby="versions">
          <h2 id="versions">Versions</h2>
          {history.versions.length === 0 ? (
            <p class="muted">No version yet.</p>
          ) : (
            <table>
              <caption>
                {`Versions ${pageRange(
                  history.versionCount - history.versions[0]!.version + 1,
                  history.versions.length,
                  history.versionCount,
                )}, newest first`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Created</th>
                  <th scope="col" class="num">
                    Entries
                  </th>
                  <th scope="col" class="num">
                    Added
                  </th>
                  <th scope="col" class="num">
                    Removed
                  </th>
                  <th scope="col">Criteria</th>
                  <th scope="col">Signing key</th>
                </tr>
              </thead>
              <tbody>
                {history.versions.map((v) => (
                  <tr>
                    <td>
                      <VersionLink version={v.version} />
                    </td>
                    <td>
                      <When at={v.createdAt} />
                    </td>
                    <td class="num">{count(v.entryCount)}</td>
                    <td class="num">{count(v.addedCount)}</td>
                    <td class="num">{count(v.removedCount)}</td>
                    <td>v{v.criteriaVersion}</td>
                    <td>
                      <code>{v.signingKid.slice(0, 12)}…</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav class="pager" aria-label="Pages">
            {c.req.query('before') && <a href="/console/builds">Newest versions</a>}
            {history.nextBefore && (
              <a href={`/console/builds?before=${history.nextBefore}`} rel="next">
                Older versions
              </a>
            )}
          </nav>
        </section>
      </>,
    );
  };

  ui.get('/builds', staff, (c) => render(c));

  ui.get('/builds/confirm', staff, async (c) => {
    const p = await previewBuild(deps);
    const isps = `${count(p.isps)} ISP${p.isps === 1 ? '' : 's'}`;
    return page(
      c,
      { title: 'Build now?', current: 'builds' },
      <>
        <h1>Build now?</h1>
        <section class="card" aria-labelledby="will">
          <h2 id="will">What the build will do</h2>
          <p>
            {p.nextVersion === null
              ? `The entry set is unchanged: no new version is published; the signed timestamp of v${p.latestVersion} is refreshed.`
              : `Publishes version ${p.nextVersion} to ${isps}: +${count(p.added)} −${count(p.removed)}.`}
          </p>
          <p class="hint">Counted from the evidence as it is now; the build counts again as it runs.</p>
          <form method="post" action="/console/builds" class="row">
            <CsrfField token={c.get('csrf')} />
            <button type="submit">
              {p.nextVersion === null ? 'Build' : `Build and publish version ${p.nextVersion}`}
            </button>
            <a href="/console/builds">Cancel</a>
          </form>
        </section>
      </>,
    );
  });

  ui.post('/builds', staff, async (c) => {
    try {
      const result = await buildSnapshot(deps, { caller: userCaller(c), input: { trigger: 'console' } });
      return c.redirect(
        result.changed ? `/console/versions/${result.version}?done=built` : '/console/builds?done=unchanged',
        303,
      );
    } catch (error) {
      // The failed run is recorded with its error and shown in the table.
      const text = formFailure(error)?.text ?? 'The build failed; the run below says why.';
      return redirectWith(kit, c, '/console/builds', { kind: 'error', text });
    }
  });
}
