/**
 * TAXII 2.1 request and paging rules, pure: which Accept headers we can answer, the filter
 * parameters (`added_after`, `match[version]`, `limit`) and the `next` cursor.
 *
 * A cursor pins the version the first page was read at (and that version's manifest digest),
 * so the pages of one query are read from one state of the list: builds that add and remove
 * entries meanwhile neither skip nor repeat an object; the client sees them on its next poll.
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

export const DEFAULT_PAGE = 1000;
export const MAX_PAGE = 5000;

/**
 * Whether `accept` admits a TAXII 2.1 answer: absent, `*\/*`, `application/*`, or
 * `application/taxii+json` unversioned or with version=2.1, at a quality above 0.
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const parameters = new Map(
      params.map((p) => {
        const [name = '', value = ''] = p.split('=').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
        return [name, value] as const;
      }),
    );
    const quality = parameters.has('q') ? Number(parameters.get('q')) : 1;
    if (!(quality > 0)) return false;
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = parameters.get('version');
    return version === undefined || version === '2.1';
  });
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 timestamp (`Z` or an offset, any fraction of a second) to the millisecond it
 * falls in; null when it is not one. Every stamp we serve is whole milliseconds, so comparing
 * at that precision is exact.
 */
export function parseTimestamp(value: string): Date | null {
  const m = RFC3339.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const date = new Date(utc);
  // Date.UTC rolls 2026-02-31 over into March: that is no timestamp.
  if (
    date.getUTCDate() !== Number(d) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 60
  )
    return null;
  if (zone.toUpperCase() === 'Z') return date;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [oh, om] = zone.slice(1).split(':').map(Number) as [number, number];
  return new Date(utc - sign * (oh * 60 + om) * 60_000);
}

/** `match[version]`: any of last, first, all and exact timestamps (the versions' `modified`). */
export interface VersionFilter {
  all: boolean;
  first: boolean;
  last: boolean;
  at: Date[];
}

/** The filter, or a message naming the value that is neither a keyword nor a timestamp. */
export function parseVersionFilter(value: string | undefined): VersionFilter | string {
  const filter: VersionFilter = { all: false, first: false, last: false, at: [] };
  if (value === undefined) return { ...filter, last: true };
  for (const item of splitList(value)) {
    if (item === 'all' || item === 'first' || item === 'last') filter[item] = true;
    else {
      const at = parseTimestamp(item);
      if (!at) return `${JSON.stringify(item)} is not last, first, all or a timestamp`;
      filter.at.push(at);
    }
  }
  return filter.all || filter.first || filter.last || filter.at.length > 0 ? filter : 'expected a value';
}

/** A comma-separated filter value, blanks dropped. */
export const splitList = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Where the next page starts: after the object version (version, key) of the state `asOf`. */
export interface Cursor {
  asOf: number;
  /** The first characters of version asOf's manifest digest: a restored database is another state. */
  digest: string;
  version: number;
  listKey: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.asOf}.${cursor.digest}.${cursor.version}.${b64(cursor.listKey)}`;
}

export function decodeCursor(value: string): Cursor | null {
  const m = /^([1-9][0-9]{0,9})\.([0-9a-f]{16})\.([1-9][0-9]{0,9})\.([A-Za-z0-9_-]*)$/.exec(value);
  if (!m) return null;
  const listKey = Buffer.from(m[4]!, 'base64url').toString('utf8');
  if (b64(listKey) !== m[4]) return null;
  return { asOf: Number(m[1]), digest: m[2]!, version: Number(m[3]), listKey };
}

export const cursorDigest = (manifestSha256: string) => manifestSha256.slice(0, 16);
