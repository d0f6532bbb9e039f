/**
 * The README's table of roles says what the service does: each keyed route it names, with the
 * roles ticked, is the authorization suite's entry (support/access.ts), and every keyed route
 * of that table is in the README once.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { access, type Who } from './support/access.ts';

const ROLES: readonly Who[] = ['reporter', 'analyst', 'admin', 'ncb', 'isp'];

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

/** The README's table of roles: `METHOD path` -> the roles ticked, in ROLES order. */
function readmeTable(readme: string): { routes: Record<string, Who[]>; problems: string[] } {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => /^\| what \| routes \|/.test(l));
  if (start === -1) return { routes: {}, problems: ['no "| what | routes | …" table in the README'] };
  const header = cells(lines[start] as string).map((h) => h.replace(/`/g, ''));
  const problems: string[] = [];
  if (JSON.stringify(header.slice(2)) !== JSON.stringify(ROLES))
    problems.push(`role columns ${header.slice(2).join(', ')}, wanted ${ROLES.join(', ')}`);
  const routes: Record<string, Who[]> = {};
  for (const row of lines.slice(start + 2)) {
    if (!row.startsWith('|')) break;
    const [what = '', named = '', ...ticks] = cells(row);
    const roles = ROLES.filter((_, i) => ticks[i] === '✓');
    for (const [i, tick] of ticks.entries())
      if (tick !== '' && tick !== '✓') problems.push(`"${what}": ${ROLES[i]} cell is ${JSON.stringify(tick)}`);
    const listed = [...named.matchAll(/`([A-Z]+ \/[^`]*)`/g)].map((m) => m[1] as string);
    if (listed.length === 0) problems.push(`"${what}" names no route`);
    for (const route of listed) {
      if (route in routes) problems.push(`${route} is in the table twice`);
      routes[route] = roles;
    }
  }
  return { routes, problems };
}

describe('the README table of roles', () => {
  it('ticks, for each keyed route, exactly the roles the authorization suite allows', () => {
    const { routes, problems } = readmeTable(readFileSync('README.md', 'utf8'));
    expect(problems).toEqual([]);
    const keyed = Object.fromEntries(
      Object.entries(access)
        .filter((entry): entry is [string, Who[]] => entry[1] !== 'public')
        .map(([route, roles]) => [route, ROLES.filter((r) => roles.includes(r))]),
    );
    expect(routes).toEqual(keyed);
  });
});
