/**
 * The console's whole stylesheet, served from /console/style.css under a content hash, so
 * the Content-Security-Policy can forbid inline styles and the file can be cached for ever.
 */
import { sha256Hex } from '../../core/tokens.ts';

export const css = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #d7dbe3; --bg: #f5f6f9; --card: #fff; --accent: #1f5fbf;
  --accent-ink: #fff; --listed: #b42318; --listed-bg: #fdecea; --candidate: #8a5300; --candidate-bg: #fff4dd;
  --excluded: #475467; --excluded-bg: #eceff3; --ok: #146c2e; --ok-bg: #e6f4ea; --bad: #b42318; --bad-bg: #fdecea; }
* { box-sizing: border-box; }
html { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: var(--bg); }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid #f5b400; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: 1rem; z-index: 10; }
header.top { background: #14213d; color: #fff; }
header.top .bar { max-width: 76rem; margin: 0 auto; padding: .6rem 1.25rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
header.top .brand { font-weight: 700; letter-spacing: .02em; color: #fff; text-decoration: none; margin-right: .5rem; }
header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0; padding: 0; }
header.top nav a { color: #dfe6f5; text-decoration: none; padding: .35rem .7rem; border-radius: 6px; display: inline-block; }
header.top nav a:hover { background: #243a66; color: #fff; }
header.top nav a[aria-current="page"] { background: #fff; color: #14213d; font-weight: 600; }
header.top .who { margin-left: auto; display: flex; gap: .75rem; align-items: center; font-size: .9rem; color: #c9d3e8; }
header.top .who button { background: transparent; color: #fff; border: 1px solid #6b7fa8; }
main { max-width: 76rem; margin: 0 auto; padding: 1.25rem; }
h1 { font-size: 1.6rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.25rem; margin-bottom: 1.25rem; overflow-x: auto; }
.grid { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(21rem, 100%), 1fr)); }
.stats { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(min(10.5rem, 100%), 1fr)); margin: 0 0 1.25rem; }
.stats div { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .75rem 1rem; }
.stats dt { color: var(--muted); font-size: .85rem; }
.stats dd { margin: .15rem 0 0; font-size: 1.35rem; font-weight: 650; }
.stats dd small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); }
table { border-collapse: collapse; width: 100%; background: var(--card); }
caption { text-align: left; font-weight: 600; padding: 0 0 .5rem; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: .85rem; color: var(--muted); font-weight: 600; background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f8f9fc; }
tbody tr.failing { background: #fff6f5; }
figure { margin: 0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; border: 1px solid transparent; }
.badge.listed, .badge.fail, .badge.failed { color: var(--listed); background: var(--listed-bg); border-color: #f3b8b2; }
.badge.candidate, .badge.open { color: var(--candidate); background: var(--candidate-bg); border-color: #f0d29a; }
.badge.excluded, .badge.reported, .badge.unchanged, .badge.rejected { color: var(--excluded); background: var(--excluded-bg); border-color: #d0d5dd; }
.badge.pass, .badge.changed, .badge.accepted { color: var(--ok); background: var(--ok-bg); border-color: #a6d8b5; }
.muted { color: var(--muted); }
.flash { border-radius: 8px; padding: .7rem 1rem; margin-bottom: 1rem; border: 1px solid; }
.flash.ok { background: var(--ok-bg); border-color: #a6d8b5; }
.flash.error { background: var(--bad-bg); border-color: #f3b8b2; }
form.inline { display: inline; }
form.stack { display: grid; gap: .6rem; max-width: 36rem; }
form.row { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin-bottom: 1rem; }
form.row > div { display: grid; grid-template-columns: minmax(0, 1fr); gap: .2rem; max-width: 100%; }
label { font-weight: 600; font-size: .9rem; }
select { max-width: 100%; }
input, select, textarea { font: inherit; padding: .4rem .55rem; border: 1px solid #b9c0cc; border-radius: 6px; background: #fff; color: var(--ink); }
textarea { min-height: 4.5rem; width: 100%; }
button { font: inherit; font-weight: 600; padding: .42rem .95rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.hint { font-size: .85rem; color: var(--muted); margin: 0; }
.pager { display: flex; gap: 1rem; margin-top: .75rem; }
nav.tabs ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0 0 1rem; padding: 0; border-bottom: 1px solid var(--line); }
nav.tabs a { display: inline-block; padding: .4rem .9rem; text-decoration: none; border: 1px solid transparent; border-bottom: 0; border-radius: 6px 6px 0 0; }
nav.tabs a[aria-current="page"] { background: var(--card); border-color: var(--line); color: var(--ink); font-weight: 650; margin-bottom: -1px; }
.field-error { color: var(--bad); font-size: .9rem; margin: .2rem 0 0; font-weight: 600; }
[aria-invalid="true"] { border-color: var(--bad); outline: 1px solid var(--bad); }
.scroll { overflow-x: auto; }
.token { display: block; padding: .75rem; background: #111827; color: #e5e7eb; border-radius: 8px; font-size: 1rem; user-select: all; }
.chart { width: 100%; height: auto; max-width: 46rem; display: block; }
.signin { max-width: 28rem; margin: 3rem auto; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
details summary { cursor: pointer; color: var(--accent); }
/* Phone width: pages never wider than the screen; wide tables scroll inside their card. */
@media (max-width: 40rem) {
  main { padding: .75rem; }
  .card { padding: .75rem; }
  dl.facts { grid-template-columns: 1fr; gap: 0; }
  dl.facts dd { margin-bottom: .4rem; }
  header.top .who { margin-left: 0; flex-wrap: wrap; }
  h1 { overflow-wrap: anywhere; }
}
`;

/** The stylesheet's URL, versioned by its content. */
export const cssPath = `/console/style.css?v=${sha256Hex(css).slice(0, 12)}`;
