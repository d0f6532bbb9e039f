import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const worstof = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['bin/worstof.js', ...args], { input, encoding: 'utf8', env: { ...process.env } });

describe('worstof canonicalize', () => {
  it('canonicalises its arguments in order, one JSON object each', () => {
    const run = worstof([
      'canonicalize',
      'http://A.B.ZZ-Example.com:81/x#y',
      'ftp://zz.example',
      '0xc3.0x7f.0.0xb',
      '0x7f.1',
    ]);
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
      {
        input: '0xc3.0x7f.0.0xb',
        url: 'http://195.127.0.11/',
        host: '195.127.0.11',
        listKey: '195.127.0.11',
        kind: 'ipv4',
      },
      { input: '0x7f.1', error: { code: 'non_public_address', message: expect.any(String) } },
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

  it.each([
    ['PORT', '', 'PORT: expected a port number'],
    ['HOST', 'not-an-address', 'HOST: expected an IPv4 or IPv6 address'],
    ['WOL_SIGNING_KEY', 'notjson', 'WOL_SIGNING_KEY: expected a private Ed25519 JWK'],
  ])('stops on %s=%j naming it, before opening anything', (name, value, message) => {
    const run = spawnSync(process.execPath, ['bin/worstof.js', 'serve'], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: path.join(tmpdir(), 'wol-never-created'), [name]: value },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops naming HOST and PORT when the port is in use, without a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wol-port-'));
    try {
      const run = spawnSync(process.execPath, ['bin/worstof.js', 'serve'], {
        encoding: 'utf8',
        env: {
          ...process.env,
          DATABASE_URL: '',
          DATA_DIR: dataDir,
          HOST: '127.0.0.1',
          PORT: String(port),
          WOL_BUILD_CRON: 'off',
        },
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`HOST=127.0.0.1 PORT=${port}: the port is in use`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
