/**
 * The dashboard's charts over time, drawn on the server as SVG (presentation attributes only,
 * so the CSP needs no inline style): the list's entries, the keys added and removed (on a
 * logarithmic axis, so small changes stay visible beside large ones) and the builds' longest
 * durations, per hour or per day of the chosen window, each on a time axis with a title and
 * round ticks, and the figures as a table.
 */
import type { Child } from 'hono/jsx';
import {
  type Bucket,
  type ListBucket,
  logPosition,
  logTicks,
  niceTicks,
  type Range,
  type RunBucket,
} from '../../../core/time-series.ts';
import { count, duration } from './components.tsx';

const W = 720;
const H = 190;
const LEFT = 70;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 160;

const hourly = (range: Range) => range === '24h';
const tickLabel = (range: Range, at: Date) =>
  hourly(range) ? `${at.toISOString().slice(11, 13)}:00` : at.toISOString().slice(5, 10);
const bucketLabel = (range: Range, b: Bucket) =>
  hourly(range)
    ? `${b.start.toISOString().slice(0, 10)} ${b.start.toISOString().slice(11, 13)}:00–${b.end.toISOString().slice(11, 13)}:00 UTC`
    : b.start.toISOString().slice(0, 10);

/** One chart's frame: title, description, the time axis under it and the value axis beside it. */
function Frame(props: {
  id: string;
  title: string;
  desc: string;
  range: Range;
  buckets: readonly Bucket[];
  yTicks: { value: number; y: number; label: string }[];
  children?: Child;
}) {
  const step = (W - LEFT - RIGHT) / props.buckets.length;
  const every = Math.ceil(props.buckets.length / 8);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.desc}</desc>
      <g font-size="11" fill="#5b6475">
        {props.yTicks.map((t) => (
          <>
            <line x1={LEFT} x2={W - RIGHT} y1={t.y} y2={t.y} stroke="#eef0f4" />
            <text x={LEFT - 8} y={t.y + 4} text-anchor="end">
              {t.label}
            </text>
          </>
        ))}
        {props.buckets.map((b, i) =>
          i % every === 0 ? (
            <text x={LEFT + step * (i + 0.5)} y={H - 12} text-anchor="middle">
              {tickLabel(props.range, b.start)}
            </text>
          ) : null,
        )}
      </g>
      <line x1={LEFT} x2={W - RIGHT} y1={BOTTOM} y2={BOTTOM} stroke="#d7dbe3" />
      {props.children}
    </svg>
  );
}

export function TimeCharts(props: { range: Range; list: readonly ListBucket[]; builds: readonly RunBucket[] }) {
  const { range, list, builds } = props;
  const per = hourly(range) ? 'hour (UTC)' : 'day (UTC)';
  const step = (W - LEFT - RIGHT) / list.length;
  const x = (i: number) => LEFT + step * (i + 0.5);
  const barWidth = Math.max(2, Math.min(18, step * 0.35));

  // Entries: the axis spans the window's own range, so a change of a few keys in 100,000 shows.
  const known = list.flatMap((b) => (b.entries === null ? [] : [b.entries]));
  const sizeTicks = known.length > 0 ? niceTicks(Math.min(...known), Math.max(...known)) : [0, 1];
  const [lo, hi] = [sizeTicks[0]!, sizeTicks.at(-1)!];
  const ySize = (v: number) => BOTTOM - ((v - lo) / (hi - lo)) * (BOTTOM - TOP);
  const line = list.flatMap((b, i) =>
    b.entries === null ? [] : [`${x(i).toFixed(1)},${ySize(b.entries).toFixed(1)}`],
  );

  const changeTicks = logTicks(Math.max(1, ...list.map((b) => Math.max(b.added, b.removed))));
  const top = changeTicks.at(-1)!;
  const mid = (TOP + BOTTOM) / 2;
  const half = (BOTTOM - TOP) / 2;
  const bar = (v: number) => Math.max(1, logPosition(v, top) * half);

  const longest = Math.max(1000, ...builds.map((b) => b.longestMs ?? 0));
  const durationTicks = niceTicks(0, longest / 1000);
  const dTop = durationTicks.at(-1)!;
  const yDuration = (ms: number) => BOTTOM - (ms / 1000 / dTop) * (BOTTOM - TOP);
  const versions = list.reduce((n, b) => n + b.versions, 0);
  const runs = builds.reduce((n, b) => n + b.runs, 0);

  return (
    <>
      <figure>
        <Frame
          id="entries"
          title={`Entries on the list, at the end of each ${per}`}
          desc={
            known.length > 0
              ? `From ${count(known[0])} to ${count(known.at(-1))} entries over the last ${range}.`
              : 'No version yet.'
          }
          range={range}
          buckets={list}
          yTicks={sizeTicks.map((v) => ({ value: v, y: ySize(v), label: count(v) }))}
        >
          <polyline points={line.join(' ')} fill="none" stroke="#1f5fbf" stroke-width="2.5" stroke-linejoin="round" />
          {list.map((b, i) =>
            b.entries === null ? null : <circle cx={x(i)} cy={ySize(b.entries)} r="3" fill="#1f5fbf" />,
          )}
        </Frame>
      </figure>
      <figure>
        <Frame
          id="changes"
          title={`Keys added (up) and removed (down) per ${per}, logarithmic axis`}
          desc={`${count(versions)} versions over the last ${range}: ${count(list.reduce((n, b) => n + b.added, 0))} added, ${count(list.reduce((n, b) => n + b.removed, 0))} removed.`}
          range={range}
          buckets={list}
          yTicks={[
            ...changeTicks
              .slice(1)
              .map((v) => ({ value: v, y: mid - logPosition(v, top) * half, label: `+${count(v)}` })),
            { value: 0, y: mid, label: '0' },
            ...changeTicks
              .slice(1)
              .map((v) => ({ value: -v, y: mid + logPosition(v, top) * half, label: `−${count(v)}` })),
          ]}
        >
          {list.map((b, i) => (
            <>
              {b.added > 0 && (
                <rect
                  x={x(i) - barWidth / 2}
                  y={mid - bar(b.added)}
                  width={barWidth}
                  height={bar(b.added)}
                  fill="#2e9e5b"
                />
              )}
              {b.removed > 0 && (
                <rect x={x(i) - barWidth / 2} y={mid} width={barWidth} height={bar(b.removed)} fill="#d64545" />
              )}
            </>
          ))}
        </Frame>
      </figure>
      <figure>
        <Frame
          id="durations"
          title={`Longest build per ${per}, in seconds`}
          desc={`${count(runs)} build runs over the last ${range}, the longest ${duration(Math.max(0, ...builds.map((b) => b.longestMs ?? 0)))}.`}
          range={range}
          buckets={builds}
          yTicks={durationTicks.map((v) => ({ value: v, y: yDuration(v * 1000), label: `${count(v)} s` }))}
        >
          {builds.map((b, i) =>
            b.longestMs === null ? null : (
              <circle cx={x(i)} cy={yDuration(b.longestMs)} r="3.5" fill={b.failed > 0 ? '#d64545' : '#1f5fbf'} />
            ),
          )}
        </Frame>
      </figure>
      <details>
        <summary>The figures as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{hourly(range) ? 'Hour' : 'Day'}</th>
              <th scope="col" class="num">
                Entries
              </th>
              <th scope="col" class="num">
                Added
              </th>
              <th scope="col" class="num">
                Removed
              </th>
              <th scope="col" class="num">
                Builds
              </th>
              <th scope="col" class="num">
                Longest build
              </th>
            </tr>
          </thead>
          <tbody>
            {[...list].reverse().map((b, i) => {
              const run = builds[list.length - 1 - i]!;
              return (
                <tr>
                  <td>{bucketLabel(range, b)}</td>
                  <td class="num">{count(b.entries)}</td>
                  <td class="num">{count(b.added)}</td>
                  <td class="num">{count(b.removed)}</td>
                  <td class="num">
                    {count(run.runs)}
                    {run.failed > 0 && ` (${count(run.failed)} failed)`}
                  </td>
                  <td class="num">{run.longestMs === null ? '—' : duration(run.longestMs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </>
  );
}
