import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { listen, worstof } from './support/server.ts';

let ctx: TestContext;
let a: Actors;
let server: Awaited<ReturnType<typeof listen>>;
let dir: string;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  server = await listen(ctx);
  dir = await mkdtemp(path.join(tmpdir(), 'wol-import-'));
});
afterAll(async () => {
  await server.close();
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
});

describe(`worstof import on ${databaseName}`, () => {
  it('streams a file through the NDJSON endpoint and writes the rejected lines to a file', async () => {
    const lines = Array.from({ length: 2500 }, (_, i) =>
      JSON.stringify({ externalRef: `cli-${i}`, url: `http://zz-cli-${i % 40}.org/${i}` }),
    );
    lines[10] = '{"externalRef": "broken"';
    lines[1234] = JSON.stringify({ externalRef: 'cli-bad', url: 'gopher://zz-cli.org' });
    lines.splice(500, 0, '');
    const file = path.join(dir, 'reports.ndjson');
    await writeFile(file, `${lines.join('\n')}\n`);
    const rejects = path.join(dir, 'rejects.ndjson');
    const run = await worstof([
      'import',
      file,
      '--server',
      server.url,
      '--token',
      a.reporterA,
      '--rejects',
      rejects,
      '--batch',
      '1000',
    ]);
    expect(run.stdout).toContain('2500 lines, 2498 created, 0 already there, 2 rejected');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/import .*2,500 lines, [\d,]+\/s, 2 errors/);
    expect(run.stderr).toContain('line 11: malformed_json');
    expect(run.stderr).toContain('line 1236: unsupported_scheme');
    expect((await readFile(rejects, 'utf8')).trim().split('\n')).toEqual([lines[10], lines[1235]]);

    const again = await worstof(['import', file, '--server', server.url, '--token', a.reporterA]);
    expect(again.stdout).toContain('0 created, 2498 already there, 2 rejected');
  });

  it('says what is missing and what the server refused', async () => {
    expect((await worstof(['import', 'x.ndjson'])).stderr).toContain('--server is required');
    const file = path.join(dir, 'one.ndjson');
    await writeFile(file, '{"externalRef":"z","url":"zz-z.org"}\n');
    const refused = await worstof(['import', file, '--server', server.url, '--token', a.isp]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('403');
  });
});
