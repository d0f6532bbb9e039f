/**
 * A real Unbound on loopback, for checking what the rendered zones do in a resolver. It is
 * offline by construction: it serves its own root zone (the `names` given, nothing else),
 * may not fall back to the real root, and sends from 127.0.0.1 only.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export const hasBinaries = (...names: string[]) =>
  names.every((name) => {
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });

export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export interface Resolver {
  port: number;
  query(name: string, type?: string): { status: string; answers: string[] };
  stop(): Promise<void>;
}

/**
 * Starts unbound with `names` (`name. A address` records) in its root zone, `serverLines`
 * inside server: and `extra` after it; waits until it answers.
 */
export async function startUnbound(
  dir: string,
  names: string[],
  serverLines: string[],
  extra: string[] = [],
): Promise<Resolver> {
  const port = await freeUdpPort();
  const conf = path.join(dir, 'unbound.conf');
  const root = path.join(dir, 'root.zone');
  await writeFile(
    root,
    [
      '$TTL 300',
      '. SOA ns.zz-root.test. hostmaster.zz-root.test. 1 3600 600 604800 300',
      '. NS ns.zz-root.test.',
      'ns.zz-root.test. A 127.0.0.1',
      ...names,
      '',
    ].join('\n'),
  );
  await writeFile(
    conf,
    [
      'server:',
      '  interface: 127.0.0.1',
      `  port: ${port}`,
      '  do-daemonize: no',
      '  username: ""',
      '  chroot: ""',
      `  directory: "${dir}"`,
      `  pidfile: "${path.join(dir, 'unbound.pid')}"`,
      '  use-syslog: no',
      '  verbosity: 0',
      '  do-ip6: no',
      '  access-control: 127.0.0.0/8 allow',
      '  outgoing-interface: 127.0.0.1',
      ...serverLines.map((l) => `  ${l}`),
      'auth-zone:',
      '  name: "."',
      `  zonefile: "${root}"`,
      '  for-upstream: yes',
      '  for-downstream: no',
      '  fallback-enabled: no',
      ...extra,
      '',
    ].join('\n'),
  );
  execFileSync('unbound-checkconf', [conf]);
  const child: ChildProcess = spawn('unbound', ['-d', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const query = (name: string, type = 'A') => {
    const out = execFileSync(
      'dig',
      ['@127.0.0.1', '-p', String(port), '+time=1', '+tries=1', '+noall', '+comments', '+answer', name, type],
      {
        encoding: 'utf8',
      },
    );
    const status = /status: ([A-Z]+)/.exec(out)?.[1] ?? 'NO ANSWER';
    const answers = out
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith(';'))
      .map((l) => l.split(/\s+/).slice(3).join(' '));
    return { status, answers };
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`unbound exited: ${stderr}`);
    try {
      if (query('ns.zz-root.test.').status !== 'NO ANSWER') break;
    } catch {}
    if (i === 20) throw new Error(`unbound did not answer within 4 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    query,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
