/** Small pieces the pages share: the CSRF field, dates, numbers, badges, the reason field. */
import type { Child } from 'hono/jsx';
import type { FormFlash } from '../env.ts';
import { type ConsoleRefs, withQuery } from '../refs.ts';

export function CsrfField(props: { token: string | undefined }) {
  return <input type="hidden" name="_csrf" value={props.token ?? ''} />;
}

/** A date as UTC minutes, machine-readable in `datetime`. */
export function When(props: { at: Date | null | undefined; empty?: string }) {
  if (!props.at) return <span class="muted">{props.empty ?? '—'}</span>;
  const iso = props.at.toISOString();
  return <time datetime={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`}</time>;
}

export const count = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : n.toLocaleString('en');

export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A wait in hours or days (time to listing): "40 min", "5.5 h", "12.3 d". */
export function waited(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function Badge(props: { kind: string; children?: Child }) {
  return <span class={`badge ${props.kind}`}>{props.children ?? props.kind}</span>;
}

/** What a refused form left for the form `id` on this page: its error, the field at fault, what was typed. */
export interface FormState {
  error?: string | undefined;
  field?: string | undefined;
  values: Record<string, string>;
}

export const formState = (flash: FormFlash | undefined, id: string): FormState =>
  flash?.kind === 'error' && flash.form === id
    ? { error: flash.text, field: flash.field, values: flash.values ?? {} }
    : { values: {} };

/** The error beside the field it is about (linked by aria-describedby from the field). */
export function FieldError(props: { id: string; state: FormState | undefined; field: string }) {
  return props.state?.error && props.state.field === props.field ? (
    <p id={`${props.id}-error`} class="field-error">
      {props.state.error}
    </p>
  ) : null;
}

/** The attributes of a field the error is about. */
export const invalid = (id: string, state: FormState | undefined, field: string) =>
  state?.error && state.field === field ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {};

/** A required reason, as the API requires it (3 to 2000 characters). */
export function ReasonField(props: { id: string; label?: string; state?: FormState | undefined }) {
  return (
    <div>
      <label for={props.id}>{props.label ?? 'Reason'}</label>
      <textarea
        id={props.id}
        name="reason"
        required
        minlength={3}
        maxlength={2000}
        {...invalid(props.id, props.state, 'reason')}
      >
        {props.state?.values.reason ?? ''}
      </textarea>
      <FieldError id={props.id} state={props.state} field="reason" />
    </div>
  );
}

/** A link to a domain's page: `href` from kit.refs.domain, which keeps the name out of the URL. */
export function DomainLink(props: { listKey: string; href: string }) {
  return (
    <a href={props.href}>
      <code>{props.listKey}</code>
    </a>
  );
}

/** A person as the console names people: their credential's label, role and organisation. */
export function Person(props: {
  person: { label: string; role: string; organisation: string | null } | null | undefined;
  empty?: string;
}) {
  const p = props.person;
  if (!p) return <span class="muted">{props.empty ?? 'the service'}</span>;
  return (
    <span>
      {p.label} <span class="muted">({`${p.role}${p.organisation ? ` · ${p.organisation}` : ''}`})</span>
    </span>
  );
}

export function VersionLink(props: { version: number | null | undefined }) {
  if (props.version === null || props.version === undefined) return <span class="muted">—</span>;
  return <a href={`/console/versions/${props.version}`}>v{props.version}</a>;
}

/** A keyset list's pager: back to the first page once past it, and on to the next (its link sealed by the caller). */
export function Pager(props: { first: string | null; next: string | null }) {
  return (
    <nav class="pager" aria-label="Pages">
      {props.first && <a href={props.first}>First page</a>}
      {props.next && (
        <a href={props.next} rel="next">
          Next page
        </a>
      )}
    </nav>
  );
}

/**
 * The pager of a sealed keyset list at `path`: back to its first page once past it, and Next with
 * the cursor and the position of the next page's first row (pageStart reads it there).
 */
export function KeysetPager(props: {
  refs: ConsoleRefs;
  path: string;
  paged: boolean;
  next: string | null;
  from: number;
  shown: number;
}) {
  const { refs, path, next } = props;
  return (
    <Pager
      first={props.paged ? path : null}
      next={next ? withQuery(refs, path, { after: next, from: String(props.from + props.shown) }) : null}
    />
  );
}

/** Names the criteria or the code use (criteria, fields), as code, comma-separated. */
export function CodeNames(props: { names: readonly string[] }) {
  return (
    <>
      {props.names.map((name, i) => (
        <>
          {i > 0 && ', '}
          <code>{name}</code>
        </>
      ))}
    </>
  );
}
