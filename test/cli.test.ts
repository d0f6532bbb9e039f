import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const worstof = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['bin/worstof.js', ...args], { input, encoding: 'utf8', env: { ...process.env } });

describe('worstof canonicalize', () => {
  it('canonicalises its arguments in order, one JSON object each', () => {
    const run = worstof(['canonicalize', 'http://A.B.ZZ-Example.com:81/x#y', 'ftp://zz.example', '0x7f.1']);
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        input: 'http://A.B.ZZ-Example.com:81/x#y',
        url: 'http://a.b.zz-example.com/x',
        host: 'a.b.zz-example.com',
        listKey: 'zz-example.com',
        kind: 'domain',
      },
      { input: 'ftp://zz.example', error: { code: 'unsupported_scheme', message: expect.any(String) } },
      { input: '0x7f.1', url: 'http://127.0.0.1/', host: '127.0.0.1', listKey: '127.0.0.1', kind: 'ipv4' },
    ]);
  });

  it('reads one URL per line from stdin when given none', () => {
    const run = worstof(['canonicalize'], 'zz-one.example.com\n\nco.uk\r\nhttp://zz-two.com/\n');
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.listKey ?? l.error.code)).toEqual(['example.com', 'public_suffix', 'zz-two.com']);
  });

  it('names an unknown command', () => {
    const run = worstof(['frobnicate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
  });

  it('stops on bad configuration naming the variable', () => {
    const run = spawnSync(process.execPath, ['bin/worstof.js', 'serve'], {
      encoding: 'utf8',
      env: { ...process.env, PORT: 'eighty' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PORT');
  });
});
