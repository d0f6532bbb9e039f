/**
 * `worstof serve` with WOL_DNS_LISTEN, as operators run it (issue 18): the real server process
 * answers a TSIG-signed SOA query (UDP and TCP) and an AXFR beside HTTP, refuses an unsigned
 * one, and a bad or busy WOL_DNS_LISTEN stops the start naming the variable.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganisations, seedQualifying } from '../bench/seed.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { ADMIN_TOKEN, ok } from './support/actors.ts';
import { createTestDatabase, databaseName, onPostgres } from './support/database.ts';
import { hasBinaries } from './support/resolver.ts';
import { type Served, startServe } from './support/serve.ts';

const run = promisify(execFile);
const haveDig = hasBinaries('dig');
if (!haveDig) console.warn('dns-serve: skipping, dig is absent (bind9-dnsutils)');

const KEYS = 3;
let dataDir: string;
let databaseUrl: string | null = null;
let dropDatabase: (() => Promise<void>) | null = null;
let server: Served | undefined;
let dnsPort: number;
let key: { name: string; algorithm: string; secret: string };

const env = (extra: Record<string, string> = {}) => ({
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl ?? '',
  WOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
  ...extra,
});

const admin = (url: string, method: string, body?: unknown) =>
  ok<Record<string, unknown>>(
    fetch(`${url}${method.split(' ')[1]}`, {
      method: method.split(' ')[0],
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

async function dig(...args: string[]): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(dnsPort), '+time=3', '+tries=1', ...args], {
    encoding: 'utf8',
  }).catch((error: { stdout: string }) => error);
  return stdout;
}

beforeAll(async () => {
  if (!haveDig) return;
  dataDir = await mkdtemp(path.join(tmpdir(), 'wol-dns-serve-'));
  if (onPostgres) {
    const database = await createTestDatabase();
    databaseUrl = database.url;
    await database.db.execute(sql`select 1`);
    dropDatabase = database.close;
  }
  const database = await openDatabase({ databaseUrl: databaseUrl ?? undefined, dataDir });
  try {
    await migrate(database);
    await seedOrganisations(database.db);
    await seedQualifying(database.db, KEYS, new Date());
  } finally {
    await database.close();
  }
  server = await startServe(env({ WOL_DNS_LISTEN: '127.0.0.1:0' }));
  const serving = server.lines().find((line) => line.msg === 'worstof is serving');
  dnsPort = serving?.dnsPort as number;
  await admin(server.url, 'POST /v1/builds', {});
  const isp = await admin(server.url, 'POST /v1/organisations', { name: 'ZZ ISP DNS', kind: 'isp', country: 'SE' });
  const credential = await admin(server.url, 'POST /v1/credentials', {
    organisationId: isp.id,
    role: 'isp',
    label: 'resolvers',
  });
  key = (await admin(server.url, `POST /v1/credentials/${credential.id}/tsig-keys`, {})) as typeof key;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await dropDatabase?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!haveDig)(`serve with WOL_DNS_LISTEN on ${databaseName}`, () => {
  it('listens on a port of its own, logged with the HTTP one', () => {
    expect(dnsPort).toBeGreaterThan(0);
    expect(server?.lines()).toContainEqual(
      expect.objectContaining({ msg: 'DNS listener is serving', port: dnsPort, zone: 'rpz.worstof' }),
    );
  });

  it('answers a TSIG-signed SOA query over UDP and TCP with serial = version; unsigned is REFUSED', async () => {
    for (const transport of ['+notcp', '+tcp']) {
      const out = await dig('-y', `${key.algorithm}:${key.name}:${key.secret}`, transport, 'rpz.worstof', 'SOA');
      expect(out).toContain('status: NOERROR');
      expect(out).not.toMatch(/verify failure|Couldn't verify/i);
      expect(out).toMatch(/^rpz\.worstof\.\s+\d+\s+IN\s+SOA\s+\S+ \S+ 1 /m);
      expect(out).toMatch(/\sTSIG\s/);
    }
    expect(await dig('rpz.worstof', 'SOA')).toContain('status: REFUSED');
  });

  it('transfers the zone by AXFR', async () => {
    const out = await dig('-y', `${key.algorithm}:${key.name}:${key.secret}`, 'rpz.worstof', 'AXFR');
    const cnames = out.split('\n').filter((line) => /\sCNAME\s/.test(line));
    expect(cnames).toHaveLength(KEYS * 2);
  });
});

describe.skipIf(!haveDig)('serve with a bad WOL_DNS_LISTEN', () => {
  // Two starts of serve, the second on a new PGlite data directory: slow on a busy machine.
  it('stops the start naming the variable: not an address, or a port it cannot take', async () => {
    const bad = await startServe(env({ WOL_DNS_LISTEN: 'localhost:53' })).catch((error: Error) => error.message);
    expect(bad).toMatch(/exited with [1-9]/);
    expect(bad).toContain('WOL_DNS_LISTEN');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      // PGlite: the first server holds DATA_DIR's lock, so this one gets its own directory.
      const other = await mkdtemp(path.join(tmpdir(), 'wol-dns-busy-'));
      const busy = await startServe({ ...env({ WOL_DNS_LISTEN: `127.0.0.1:${port}` }), DATA_DIR: other })
        .catch((error: Error) => error.message)
        .finally(() => rm(other, { recursive: true, force: true }));
      expect(busy).toMatch(/exited with [1-9]/);
      expect(busy).toMatch(/WOL_DNS_LISTEN=127\.0\.0\.1:\d+: cannot listen/);
    } finally {
      taken.close();
    }
  }, 120_000);
});
