/**
 * The domains table's other orders (issue 22): each reported key's figures as of the last build
 * (domain_figures), replaced in the build's transaction for the keys it re-aggregated, and pages read along their
 * indexes by last seen or by confirmations, either way, with the state of each key as of now.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DomainState } from '../../core/domain-state.ts';
import { type Db, deleteKeyed, queryRows, sqlArray, textArray } from '../database.ts';
import { candidateKeys, type DomainSearch, prefixSql, stateSql } from './domains.ts';

export interface DomainFigures {
  listKey: string;
  /** When its material was last confirmed online, in ms (0: never). */
  latestMs: number;
  confirmingOrganisations: number;
  confirmingCountries: number;
}

/** Replaces the figures of `keys` (all of them when null) with `rows`, in two statements whatever their number. */
export async function replaceFigures(
  db: Db,
  rows: readonly DomainFigures[],
  keys: readonly string[] | null,
): Promise<void> {
  await deleteKeyed(db, 'domain_figures', keys);
  if (rows.length === 0) return;
  const column = (pick: (r: DomainFigures) => number, type = 'int') => sqlArray(rows.map(pick), type);
  await db.execute(sql`
    insert into domain_figures (list_key, latest_ms, confirming_organisations, confirming_countries)
    select * from unnest(${textArray(rows.map((r) => r.listKey))}, ${column((r) => r.latestMs, 'bigint')},
                         ${column((r) => r.confirmingOrganisations)}, ${column((r) => r.confirmingCountries)})`);
}

export type FiguresOrder = 'lastSeen' | 'confirmations';

/** The sort keys of each order, the key bytewise last; a cursor is their values on the page's last row. */
const sortColumns: Record<FiguresOrder, SQL[]> = {
  lastSeen: [sql`f.latest_ms`, sql`f.list_key collate "C"`],
  confirmations: [sql`f.confirming_organisations`, sql`f.confirming_countries`, sql`f.list_key collate "C"`],
};

export const sortKeysOf = (order: FiguresOrder, f: DomainFigures): (number | string)[] =>
  order === 'lastSeen' ? [f.latestMs, f.listKey] : [f.confirmingOrganisations, f.confirmingCountries, f.listKey];

interface Row {
  list_key: string;
  latest_ms: number | string;
  confirming_organisations: number | string;
  confirming_countries: number | string;
  state: DomainState;
  listed_since: number | null;
}

/**
 * A page in `order` after the sort keys `after`. Listed and every key walk the order's index and
 * probe each key's listing and exclusion (offset 0 keeps them probes, not joins over every
 * listing); candidates are a set found first, then sorted.
 */
export async function browseByFigures(
  db: Db,
  filter: DomainSearch & {
    order: FiguresOrder;
    descending: boolean;
    after?: readonly (number | string)[] | undefined;
    limit: number;
  },
) {
  const columns = sortColumns[filter.order];
  const direction = filter.descending ? sql`desc` : sql`asc`;
  const after = filter.after
    ? sql`(${sql.join(columns, sql`, `)}) ${filter.descending ? sql`<` : sql`>`} (${sql.join(
        filter.after.map((v, i) => (i === filter.after!.length - 1 ? sql`${v}::text collate "C"` : sql`${v}`)),
        sql`, `,
      )})`
    : sql`true`;
  const from =
    filter.state === 'candidate'
      ? sql`(${candidateKeys(prefixSql(sql`r.list_key`, filter.q))}) c join domain_figures f on f.list_key = c.list_key`
      : sql`domain_figures f`;
  const inState =
    filter.state === 'listed'
      ? sql`l.added_version is not null`
      : filter.state === 'excluded'
        ? sql`x.state = 'excluded'`
        : sql`true`;
  const rows = await queryRows<Row>(
    db,
    sql`select f.list_key, f.latest_ms, f.confirming_organisations, f.confirming_countries,
               ${stateSql(sql`f.list_key`)} as state, l.added_version as listed_since
        from ${from}
        left join lateral (select added_version from listings
                           where list_key = f.list_key and removed_version is null offset 0) l on true
        left join lateral (select state from exclusions where list_key = f.list_key order by id desc limit 1) x on true
        where ${prefixSql(sql`f.list_key`, filter.q)} and ${after} and ${inState}
        order by ${sql.join(
          columns.map((c) => sql`${c} ${direction}`),
          sql`, `,
        )}
        limit ${filter.limit}`,
  );
  return rows.map((r) => ({
    listKey: r.list_key,
    state: r.state,
    listedSince: r.listed_since === null ? null : Number(r.listed_since),
    figures: {
      listKey: r.list_key,
      latestMs: Number(r.latest_ms),
      confirmingOrganisations: Number(r.confirming_organisations),
      confirmingCountries: Number(r.confirming_countries),
    },
  }));
}
