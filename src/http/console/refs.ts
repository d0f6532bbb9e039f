/**
 * Links that name no domain: a domain page is addressed by its sealed name, a search and its
 * page cursor by one sealed `s` parameter (see sealed.ts for why the tokens are stable).
 */
import { seal, unseal } from './sealed.ts';

export interface ConsoleRefs {
  /** The path of the domain page for a list key (or a host or URL, which the page resolves). */
  domain(name: string): string;
  /** What a domain page's path segment names, or null when it is not one of ours. */
  openDomain(ref: string | undefined): string | null;
  /** The `s` value carrying a page's search terms and cursor. */
  query(values: Record<string, string | undefined>): string;
  /** The values an `s` parameter carries ({} when absent or not one of ours). */
  openQuery(token: string | undefined): Record<string, string>;
}

export function consoleRefs(secret: Uint8Array): ConsoleRefs {
  return {
    domain: (name) => `/console/domains/${seal(secret, 'domain', name)}`,
    openDomain: (ref) => unseal(secret, 'domain', ref),
    query: (values) =>
      seal(
        secret,
        'query',
        JSON.stringify(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''))),
      ),
    openQuery: (token) => {
      const text = unseal(secret, 'query', token);
      if (text === null) return {};
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === 'object'
        ? Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'))
        : {};
    },
  };
}

/** A page's path with its sealed query, or the bare path when there is nothing to carry. */
export function withQuery(refs: ConsoleRefs, path: string, values: Record<string, string | undefined>): string {
  const any = Object.values(values).some((v) => v !== undefined && v !== '');
  return any ? `${path}?s=${refs.query(values)}` : path;
}
