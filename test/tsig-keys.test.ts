/**
 * TSIG keys on credentials (issue 18 item 2): who may make them, the secret shown once and
 * sealed at rest, listing without secrets, revocation of the key and of its credential, expiry.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/database.ts';
import { resolveTsigKey } from '../src/services/tsig-keys.ts';
import { type Actors, createActors, ok } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';

let ctx: TestContext;
let a: Actors;
let ispCredential: number;

async function credentialFor(organisationId: number, role: string, token: string, expiresAt?: string) {
  return ok<{ id: number; token: string }>(
    ctx.call('POST', '/v1/credentials', { token, body: { organisationId, role, label: 'dns', expiresAt } }),
  );
}

beforeAll(async () => {
  // The documentation networks stand for an ISP's secondaries reached over a VPN the operator allows.
  ctx = await createTestContext({ WOL_NOTIFY_ALLOW: '192.0.2.0/24, 2001:db8::/32, 169.254.0.0/16' });
  a = await createActors(ctx);
  ispCredential = (await credentialFor(a.orgs.isp, 'isp', a.ncb)).id;
});
afterAll(() => ctx?.close());

describe(`TSIG keys on ${databaseName}`, () => {
  it('an NCB makes one for an ISP credential of its country: name, algorithm and a 32-byte secret, once', async () => {
    const made = await ok<{ name: string; algorithm: string; secret: string; notify: string[] }>(
      ctx.call('POST', `/v1/credentials/${ispCredential}/tsig-keys`, {
        token: a.ncb,
        body: { notify: ['192.0.2.10:53', '[2001:db8::10]:5353'] },
      }),
    );
    expect(made.algorithm).toBe('hmac-sha256');
    expect(Buffer.from(made.secret, 'base64')).toHaveLength(32);
    expect(made.notify).toEqual(['192.0.2.10:53', '[2001:db8::10]:5353']);
    const listed = await ok<{ items: Record<string, unknown>[] }>(
      ctx.call('GET', `/v1/credentials/${ispCredential}/tsig-keys`, { token: a.ncb }),
    );
    expect(listed.items).toEqual([expect.objectContaining({ name: made.name, revokedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(made.secret);
    const resolved = await resolveTsigKey(ctx.deps, made.name);
    expect(Buffer.from(resolved?.key.secret ?? []).toString('base64')).toBe(made.secret);
  });

  it('the database alone does not hold the secret: it is sealed with the key in DATA_DIR/keys', async () => {
    const made = await ok<{ name: string; secret: string }>(
      ctx.call('POST', `/v1/credentials/${ispCredential}/tsig-keys`, {
        token: a.admin,
        body: { algorithm: 'hmac-sha512' },
      }),
    );
    const rows = await queryRows<Record<string, unknown>>(
      ctx.deps.db,
      sql`select * from tsig_keys where name = ${made.name}`,
    );
    const dump = JSON.stringify(rows);
    const secret = Buffer.from(made.secret, 'base64');
    expect(dump).not.toContain(made.secret);
    expect(dump).not.toContain(secret.toString('hex'));
    expect(dump).toMatch(/"sealed_secret":"v1\./);
  });

  it('an NCB may not make keys for another country’s ISP nor for non-pulling credentials; nobody else may', async () => {
    const foreignIsp = await ok<{ id: number }>(
      ctx.call('POST', '/v1/organisations', {
        token: a.admin,
        body: { name: 'ZZ ISP NO', kind: 'isp', country: 'NO' },
      }),
    );
    const foreign = await credentialFor(foreignIsp.id, 'isp', a.admin);
    const reporter = await credentialFor(a.orgs.hotlineA, 'reporter', a.admin);
    for (const id of [foreign.id, reporter.id])
      await ok(ctx.call('POST', `/v1/credentials/${id}/tsig-keys`, { token: a.ncb, body: {} }), 404);
    await ok(ctx.call('POST', `/v1/credentials/${reporter.id}/tsig-keys`, { token: a.admin, body: {} }), 404);
    await ok(ctx.call('POST', `/v1/credentials/${foreign.id}/tsig-keys`, { token: a.admin, body: {} }), 201);
    await ok(ctx.call('POST', `/v1/credentials/${ispCredential}/tsig-keys`, { token: a.isp, body: {} }), 403);
  });

  it('NOTIFY targets must be an IP address and a port', async () => {
    for (const target of ['ns1.example.net:53', '192.0.2.10', '192.0.2.10:0', '0.0.0.0:53', '[::]:53', '224.0.0.1:53'])
      await ok(
        ctx.call('POST', `/v1/credentials/${ispCredential}/tsig-keys`, { token: a.admin, body: { notify: [target] } }),
        422,
      );
  });

  it('NOTIFY targets are public addresses or in WOL_NOTIFY_ALLOW; never a metadata service', async () => {
    const make = (notify: string[]) =>
      ctx.call('POST', `/v1/credentials/${ispCredential}/tsig-keys`, { token: a.ncb, body: { notify } });
    await ok(make(['203.0.114.53:53', '[2a00:1450::53]:53', '192.0.2.99:5353', '[2001:db8::99]:53']), 201);
    for (const target of [
      '127.0.0.1:53',
      '10.1.2.3:53',
      '172.16.0.1:53',
      '100.64.0.1:53',
      '198.51.100.1:53',
      '[::1]:53',
      '[fd00::53]:53',
      '[fe80::1]:53',
      '[::ffff:127.0.0.1]:53',
      '169.254.169.254:53',
    ]) {
      const res = await make(['203.0.114.53:53', target]);
      expect([target, res.status]).toEqual([target, 422]);
      expect(await res.json()).toMatchObject({ code: 'notify_target_not_allowed', field: 'notify' });
    }
  });

  it('a revoked key ends at once, and so do all keys of a revoked credential', async () => {
    const made = await ok<{ name: string }>(
      ctx.call('POST', `/v1/credentials/${ispCredential}/tsig-keys`, { token: a.admin, body: {} }),
    );
    expect(await resolveTsigKey(ctx.deps, made.name)).not.toBeNull();
    const revoked = await ok<{ revokedAt: string }>(
      ctx.call('DELETE', `/v1/credentials/${ispCredential}/tsig-keys/${made.name}`, { token: a.ncb }),
    );
    expect(revoked.revokedAt).not.toBeNull();
    expect(await resolveTsigKey(ctx.deps, made.name)).toBeNull();
    await ok(ctx.call('DELETE', `/v1/credentials/${ispCredential}/tsig-keys/wol-nothing`, { token: a.ncb }), 404);

    const other = await credentialFor(a.orgs.isp, 'isp', a.ncb);
    const key = await ok<{ name: string }>(
      ctx.call('POST', `/v1/credentials/${other.id}/tsig-keys`, { token: a.ncb, body: {} }),
    );
    expect(await resolveTsigKey(ctx.deps, key.name)).not.toBeNull();
    await ok(ctx.call('DELETE', `/v1/credentials/${other.id}`, { token: a.ncb }));
    expect(await resolveTsigKey(ctx.deps, key.name)).toBeNull();
    await ok(ctx.call('POST', `/v1/credentials/${other.id}/tsig-keys`, { token: a.ncb, body: {} }), 409);
  });

  it('an expired credential’s keys end when it expires', async () => {
    const expiresAt = new Date(ctx.now().getTime() + 60_000).toISOString();
    const soon = await credentialFor(a.orgs.isp, 'isp', a.ncb, expiresAt);
    const key = await ok<{ name: string }>(
      ctx.call('POST', `/v1/credentials/${soon.id}/tsig-keys`, { token: a.ncb, body: {} }),
    );
    expect(await resolveTsigKey(ctx.deps, key.name)).not.toBeNull();
    ctx.setNow(new Date(ctx.now().getTime() + 61_000));
    expect(await resolveTsigKey(ctx.deps, key.name)).toBeNull();
  });
});
