/**
 * The domains table: one row per key with its state, confirmations, last seen and the criteria
 * it fails, a caption that counts ("1–50 of 20,155"), and column headers that sort (a link per
 * order, so the page stays a GET whose search is sealed).
 */
import type { DomainSort } from '../../../core/domain-state.ts';
import type { DomainPage } from '../../../schemas/domains.ts';
import type { ConsoleRefs } from '../refs.ts';
import { Badge, CodeNames, count, DomainLink, VersionLink, When } from './components.tsx';
import { pageRange } from './page-range.ts';

export type SortOrder = 'asc' | 'desc';

/** A column's first click: names A to Z, the newest and the most confirmed first. */
export const firstOrder: Record<DomainSort, SortOrder> = { name: 'asc', lastSeen: 'desc', confirmations: 'desc' };

const orderWords: Record<DomainSort, Record<SortOrder, string>> = {
  name: { asc: 'by name', desc: 'by name, Z to A' },
  lastSeen: { asc: 'by last seen, oldest first', desc: 'by last seen, newest first' },
  confirmations: { asc: 'by confirmations, fewest first', desc: 'by confirmations, most first' },
};

const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

export interface TableProps {
  refs: ConsoleRefs;
  result: DomainPage;
  sort: DomainSort;
  order: SortOrder;
  /** The position of the page's first row (1 on the first page). */
  from: number;
  /** What the caption says the rows are, after the count. */
  scope: string;
  /** The link to this search in another order (its first page). */
  sortedBy: (sort: DomainSort, order: SortOrder) => string;
}

function SortHeader(props: TableProps & { column: DomainSort; label: string; class?: string }) {
  const active = props.sort === props.column;
  const next = active ? (props.order === 'asc' ? 'desc' : 'asc') : firstOrder[props.column];
  return (
    <th
      scope="col"
      class={props.class}
      aria-sort={active ? (props.order === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <a href={props.sortedBy(props.column, next)}>
        {props.label}
        {active && <span aria-hidden="true">{props.order === 'asc' ? ' ▲' : ' ▼'}</span>}
      </a>
    </th>
  );
}

export function DomainTable(props: TableProps) {
  const { result, refs } = props;
  return (
    <div class="scroll">
      <table>
        <caption>
          {`Domains ${pageRange(props.from, result.items.length, result.total)}`}
          {props.scope}
          {`, ${orderWords[props.sort][props.order]}`}
          {props.sort !== 'name' && <span class="muted"> (order as of the last build)</span>}
        </caption>
        <thead>
          <tr>
            <SortHeader {...props} column="name" label="Domain" />
            <th scope="col">State</th>
            <th scope="col">Listed since</th>
            <SortHeader {...props} column="confirmations" label="Confirmations" />
            <SortHeader {...props} column="lastSeen" label="Last seen" />
            <th scope="col">Fails</th>
          </tr>
        </thead>
        <tbody>
          {result.items.map((d) => (
            <tr>
              <td>
                <DomainLink listKey={d.listKey} href={refs.domain(d.listKey)} />
              </td>
              <td>
                <Badge kind={d.state} />
              </td>
              <td>
                <VersionLink version={d.listedSince} />
              </td>
              <td>
                {plural(d.confirmingOrganisations, 'organisation', 'organisations')},{' '}
                {plural(d.confirmingCountries, 'country', 'countries')}
              </td>
              <td>
                <When at={d.lastSeen} empty="never" />
              </td>
              <td>{d.failing.length === 0 ? <span class="muted">nothing</span> : <CodeNames names={d.failing} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
