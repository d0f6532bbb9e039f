/**
 * The page frame: head, skip link, navigation for the signed-in role, sign-out, and the
 * message a redirect after a form left (`?done=<code>`; codes only, never echoed text).
 */
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Role } from '../../../core/vocabulary.ts';
import type { SessionUser } from '../../../services/sessions.ts';
import type { ConsoleEnv } from '../env.ts';
import { cssPath } from '../style.ts';
import { CsrfField } from './components.tsx';

export type NavId =
  | 'dashboard'
  | 'domains'
  | 'confirmation'
  | 'recheck'
  | 'builds'
  | 'delisting'
  | 'audit'
  | 'ncb'
  | 'ncbs';

const navigation: Record<'staff' | 'ncb', { id: NavId; href: string; label: string }[]> = {
  staff: [
    { id: 'dashboard', href: '/console', label: 'Dashboard' },
    { id: 'domains', href: '/console/domains', label: 'Domains' },
    { id: 'confirmation', href: '/console/confirmation-queue', label: 'Confirmation queue' },
    { id: 'recheck', href: '/console/recheck-queue', label: 'Re-check queue' },
    { id: 'builds', href: '/console/builds', label: 'Builds' },
    { id: 'delisting', href: '/console/delisting', label: 'Delisting requests' },
    { id: 'audit', href: '/console/audit', label: 'Audit' },
  ],
  ncb: [{ id: 'ncb', href: '/console/ncb', label: 'ISPs' }],
};

/** Where a role starts after signing in. */
export const homeOf = (role: Role): string => (role === 'ncb' ? '/console/ncb' : '/console');

/** Admins also see the NCBs and their last synced versions (issue 17). */
const ncbsNav = { id: 'ncbs', href: '/console/ncbs', label: 'NCBs' } as const;

const navFor = (role: Role) =>
  role === 'admin'
    ? [...navigation.staff, ncbsNav]
    : role === 'analyst'
      ? navigation.staff
      : role === 'ncb'
        ? navigation.ncb
        : [];

/** What each `?done=` code says: fixed text, so a crafted link can only show one of these. */
const done: Record<string, string> = {
  excluded: 'The domain is excluded. It leaves the list at the next build.',
  restored: 'The exclusion is lifted. The evidence decides again from the next build.',
  policy: 'The hostname policy is set; the domain’s reports were re-keyed. The list follows at the next build.',
  built: 'Build finished: this is the new version.',
  unchanged:
    'Build finished: the entry set did not change, so no new version was written (the timestamp was refreshed).',
  accepted: 'The request is accepted and the domain excluded.',
  rejected: 'The request is rejected.',
  revoked: 'The key is revoked. It stops working at once.',
};

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export interface LayoutProps {
  title: string;
  user?: SessionUser | undefined;
  csrf?: string | undefined;
  current?: NavId | undefined;
  flash?: Flash | undefined;
  children?: Child;
}

export function Layout(props: LayoutProps) {
  const { user } = props;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · worstof console`}</title>
          <link rel="stylesheet" href={cssPath} />
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <div class="bar">
              <a class="brand" href="/console">
                worstof console
              </a>
              {user && navFor(user.role).length > 0 && (
                <nav aria-label="Main">
                  <ul>
                    {navFor(user.role).map((item) => (
                      <li>
                        <a href={item.href} aria-current={item.id === props.current ? 'page' : undefined}>
                          {item.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </nav>
              )}
              {user && (
                <div class="who">
                  <span>
                    {user.label} · {user.role}
                    {user.organisationName ? ` · ${user.organisationName}` : ''}
                  </span>
                  <form method="post" action="/console/sign-out" class="inline">
                    <CsrfField token={props.csrf} />
                    <button type="submit">Sign out</button>
                  </form>
                </div>
              )}
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {props.flash && (
              <p class={`flash ${props.flash.kind}`} role={props.flash.kind === 'error' ? 'alert' : 'status'}>
                {props.flash.text}
              </p>
            )}
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

/** Renders a signed-in page; the flash is the given one, else what a form left, else the `?done=` code's text. */
export function page(
  c: Context<ConsoleEnv>,
  options: { title: string; current?: NavId; flash?: Flash | undefined; status?: ContentfulStatusCode },
  body: Child,
) {
  const code = c.req.query('done');
  const left = c.get('flash');
  const flash =
    options.flash ??
    (left && { kind: left.kind, text: left.text }) ??
    (code && done[code] ? { kind: 'ok' as const, text: done[code] } : undefined);
  return c.html(
    <Layout title={options.title} user={c.get('user')} csrf={c.get('csrf')} current={options.current} flash={flash}>
      {body}
    </Layout>,
    options.status ?? 200,
  );
}
