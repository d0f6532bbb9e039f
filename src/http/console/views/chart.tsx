/**
 * The dashboard's chart, drawn on the server as SVG: list size per version (line, top) and
 * keys added (up) and removed (down) per version (bars, bottom). Colours and sizes are
 * presentation attributes, not style attributes, so the CSP needs no 'unsafe-inline'. A
 * data table follows for screen readers and for exact figures.
 */
import { count } from './components.tsx';

export interface ChartPoint {
  version: number;
  entryCount: number;
  addedCount: number;
  removedCount: number;
}

const W = 720;
const LEFT = 64;
const RIGHT = 12;
const SIZE_TOP = 14;
const SIZE_BOTTOM = 150;
const BARS_TOP = 178;
const BARS_BOTTOM = 262;
const H = 290;

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function VersionChart(props: { points: readonly ChartPoint[] }) {
  const points = props.points;
  if (points.length === 0) return <p class="muted">No version has been built yet.</p>;
  const step = (W - LEFT - RIGHT) / points.length;
  const x = (i: number) => LEFT + step * (i + 0.5);
  const sizeMax = niceCeiling(Math.max(...points.map((p) => p.entryCount)));
  const ySize = (v: number) => SIZE_BOTTOM - (v / sizeMax) * (SIZE_BOTTOM - SIZE_TOP);
  const changeMax = niceCeiling(Math.max(...points.map((p) => Math.max(p.addedCount, p.removedCount))));
  const mid = (BARS_TOP + BARS_BOTTOM) / 2;
  const half = (BARS_BOTTOM - BARS_TOP) / 2;
  const bar = (v: number) => (v / changeMax) * half;
  const barWidth = Math.max(2, Math.min(18, step * 0.6));
  const labelEvery = Math.ceil(points.length / 10);
  const first = points[0]!;
  const last = points.at(-1)!;
  const line = points.map((p, i) => `${x(i).toFixed(1)},${ySize(p.entryCount).toFixed(1)}`).join(' ');
  return (
    <figure>
      <svg
        class="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="chart-title">List size and changes per version</title>
        <desc id="chart-desc">
          {`Versions ${first.version} to ${last.version}: the list went from ${count(first.entryCount)} to ${count(last.entryCount)} entries.`}
        </desc>
        <g font-size="11" fill="#5b6475">
          <text x={LEFT - 8} y={SIZE_TOP + 4} text-anchor="end">
            {count(sizeMax)}
          </text>
          <text x={LEFT - 8} y={SIZE_BOTTOM + 4} text-anchor="end">
            0
          </text>
          <text x={LEFT - 8} y={BARS_TOP + 4} text-anchor="end">
            {`+${count(changeMax)}`}
          </text>
          <text x={LEFT - 8} y={BARS_BOTTOM + 4} text-anchor="end">
            {`−${count(changeMax)}`}
          </text>
          {points.map((p, i) =>
            i % labelEvery === 0 || i === points.length - 1 ? (
              <text x={x(i)} y={H - 6} text-anchor="middle">
                {`v${p.version}`}
              </text>
            ) : null,
          )}
        </g>
        <line x1={LEFT} x2={W - RIGHT} y1={SIZE_BOTTOM} y2={SIZE_BOTTOM} stroke="#d7dbe3" />
        <line x1={LEFT} x2={W - RIGHT} y1={SIZE_TOP} y2={SIZE_TOP} stroke="#eef0f4" />
        <line x1={LEFT} x2={W - RIGHT} y1={mid} y2={mid} stroke="#d7dbe3" />
        <polyline points={line} fill="none" stroke="#1f5fbf" stroke-width="2.5" stroke-linejoin="round" />
        {points.map((p, i) => (
          <circle cx={x(i)} cy={ySize(p.entryCount)} r={points.length > 40 ? 1.5 : 3} fill="#1f5fbf" />
        ))}
        {points.map((p, i) => (
          <g>
            {p.addedCount > 0 && (
              <rect
                x={x(i) - barWidth / 2}
                y={mid - Math.max(1, bar(p.addedCount))}
                width={barWidth}
                height={Math.max(1, bar(p.addedCount))}
                fill="#2e9e5b"
              />
            )}
            {p.removedCount > 0 && (
              <rect
                x={x(i) - barWidth / 2}
                y={mid}
                width={barWidth}
                height={Math.max(1, bar(p.removedCount))}
                fill="#d64545"
              />
            )}
          </g>
        ))}
      </svg>
      <ul class="legend" aria-hidden="true">
        <li>
          <span class="key size" />
          entries
        </li>
        <li>
          <span class="key added" />
          added
        </li>
        <li>
          <span class="key removed" />
          removed
        </li>
      </ul>
      <details>
        <summary>The figures as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col" class="num">
                Entries
              </th>
              <th scope="col" class="num">
                Added
              </th>
              <th scope="col" class="num">
                Removed
              </th>
            </tr>
          </thead>
          <tbody>
            {[...points].reverse().map((p) => (
              <tr>
                <td>
                  <a href={`/console/versions/${p.version}`}>v{p.version}</a>
                </td>
                <td class="num">{count(p.entryCount)}</td>
                <td class="num">{count(p.addedCount)}</td>
                <td class="num">{count(p.removedCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
