import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      DATA_DIR: './data',
      WOL_BUILD_CRON: '0 * * * *',
      WOL_MANIFEST_TTL: 7 * 86400,
      WOL_KEEP_VERSIONS: 500,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.WOL_BLOCK_PAGE_HOST).toBeUndefined();
  });

  it('parses durations and treats empty values as unset', () => {
    const config = loadConfig({
      WOL_MANIFEST_TTL: '12h',
      DATABASE_URL: '',
      WOL_BLOCK_PAGE_HOST: 'stop.zz-isp.example',
    });
    expect(config.WOL_MANIFEST_TTL).toBe(43200);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.WOL_BLOCK_PAGE_HOST).toBe('stop.zz-isp.example');
  });

  it('reads the DNS listener’s variables, off and rpz.worstof by default', () => {
    expect(loadConfig({})).toMatchObject({
      WOL_RPZ_ZONE: 'rpz.worstof',
      WOL_DNS_RATE: 20,
      WOL_NOTIFY_ATTEMPTS: 5,
      WOL_NOTIFY_BACKOFF: 15,
      WOL_NOTIFY_ALLOW: [],
    });
    expect(loadConfig({}).WOL_DNS_LISTEN).toBeUndefined();
    expect(loadConfig({ WOL_DNS_LISTEN: ' ' }).WOL_DNS_LISTEN).toBeUndefined();
    const config = loadConfig({
      WOL_DNS_LISTEN: '[::]:53',
      WOL_RPZ_ZONE: 'RPZ.ZZ-Operator.Example.',
      WOL_DNS_RATE: '100',
      WOL_NOTIFY_ATTEMPTS: '3',
      WOL_NOTIFY_BACKOFF: '2m',
      WOL_NOTIFY_ALLOW: '10.20.0.0/16, fd00:53::/48',
    });
    expect(config).toMatchObject({
      WOL_DNS_LISTEN: '[::]:53',
      WOL_RPZ_ZONE: 'rpz.zz-operator.example',
      WOL_DNS_RATE: 100,
      WOL_NOTIFY_ATTEMPTS: 3,
      WOL_NOTIFY_BACKOFF: 120,
    });
    expect(config.WOL_NOTIFY_ALLOW).toHaveLength(2);
    for (const listen of ['127.0.0.1:5300', '0.0.0.0:53', '[::1]:0', '[2001:db8::53]:65535'])
      expect(loadConfig({ WOL_DNS_LISTEN: listen }).WOL_DNS_LISTEN).toBe(listen);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', ''],
    ['HOST', 'not-an-address'],
    ['WOL_SIGNING_KEY', 'notjson'],
    ['WOL_SIGNING_KEY', '{"kty":"RSA"}'],
    ['DATABASE_URL', 'mysql://x'],
    ['WOL_BUILD_CRON', 'every hour'],
    ['WOL_MANIFEST_TTL', '-1d'],
    ['WOL_BOOTSTRAP_ADMIN_TOKEN', 'wol_isp_abcdefghijklmnopqrstuvwxyz'],
    ['WOL_PUBLIC_URL', 'ftp://zz.example'],
    ['WOL_BLOCK_PAGE_HOST', 'not a host'],
    ['LOG_LEVEL', 'loud'],
    ['WOL_DNS_LISTEN', 'localhost:53'],
    ['WOL_DNS_LISTEN', '127.0.0.1'],
    ['WOL_DNS_LISTEN', '127.0.0.1:70000'],
    ['WOL_DNS_LISTEN', '999.0.0.1:53'],
    ['WOL_DNS_LISTEN', '::1:53'],
    ['WOL_DNS_LISTEN', '[::g]:53'],
    ['WOL_RPZ_ZONE', ''],
    ['WOL_RPZ_ZONE', 'not a zone'],
    ['WOL_RPZ_ZONE', `${'a'.repeat(48)}.zz`],
    ['WOL_DNS_RATE', '0'],
    ['WOL_DNS_RATE', 'many'],
    ['WOL_NOTIFY_ATTEMPTS', '0'],
    ['WOL_NOTIFY_ATTEMPTS', '21'],
    ['WOL_NOTIFY_BACKOFF', 'soon'],
    ['WOL_NOTIFY_ALLOW', '10.0.0.0/8, vpn.zz-isp.example'],
  ])('stops on a bad %s and names it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrowError(new RegExp(`${name}:`));
  });

  describe('a national instance (WOL_UPSTREAM_*)', () => {
    let dir: string;
    const token = `wol_ncb_${'n'.repeat(43)}`;
    const publicKey = { kty: 'OKP', crv: 'Ed25519', x: 'x'.repeat(43), kid: 'zz-central-key', alg: 'EdDSA' };
    const file = (name: string) => path.join(dir, name);
    const national = (extra: Record<string, string> = {}) => ({
      WOL_UPSTREAM_URL: 'https://central.zz-wol.example',
      WOL_UPSTREAM_TOKEN: token,
      WOL_UPSTREAM_JWKS: file('central.json'),
      ...extra,
    });

    beforeAll(async () => {
      await mkdir('/tmp/wol/h17', { recursive: true });
      dir = await mkdtemp('/tmp/wol/h17/config-');
      await writeFile(file('central.json'), JSON.stringify({ keys: [publicKey] }));
      await writeFile(file('private.json'), JSON.stringify({ keys: [{ ...publicKey, d: 'd'.repeat(43) }] }));
      await writeFile(file('empty.json'), JSON.stringify({ keys: [] }));
      await writeFile(file('broken.json'), '{"keys": [');
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('is off by default and reads the settings, the poll every 5m and the grace 2d by default', () => {
      expect(loadConfig({}).WOL_UPSTREAM_URL).toBeUndefined();
      const config = loadConfig(national());
      expect(config).toMatchObject({
        WOL_UPSTREAM_URL: 'https://central.zz-wol.example',
        WOL_UPSTREAM_TOKEN: token,
        WOL_UPSTREAM_POLL: 300,
        WOL_UPSTREAM_GRACE: 2 * 86400,
      });
      expect(config.WOL_UPSTREAM_JWKS).toEqual({ file: file('central.json'), keys: [publicKey] });
      expect(loadConfig(national({ WOL_UPSTREAM_POLL: '30s', WOL_UPSTREAM_GRACE: '12h' }))).toMatchObject({
        WOL_UPSTREAM_POLL: 30,
        WOL_UPSTREAM_GRACE: 43200,
      });
    });

    it.each([
      ['WOL_UPSTREAM_TOKEN', { WOL_UPSTREAM_TOKEN: '' }],
      ['WOL_UPSTREAM_TOKEN', { WOL_UPSTREAM_TOKEN: `wol_isp_${'n'.repeat(43)}` }],
      ['WOL_UPSTREAM_JWKS', { WOL_UPSTREAM_JWKS: '' }],
      ['WOL_UPSTREAM_JWKS', { WOL_UPSTREAM_JWKS: '/tmp/wol/h17/no-such-file.json' }],
      ['WOL_UPSTREAM_JWKS', { WOL_UPSTREAM_JWKS: 'broken.json' }],
      ['WOL_UPSTREAM_JWKS', { WOL_UPSTREAM_JWKS: 'empty.json' }],
      ['WOL_UPSTREAM_JWKS', { WOL_UPSTREAM_JWKS: 'private.json' }],
      ['WOL_UPSTREAM_URL', { WOL_UPSTREAM_URL: 'ftp://central.zz-wol.example' }],
      ['WOL_UPSTREAM_POLL', { WOL_UPSTREAM_POLL: 'often' }],
      ['WOL_UPSTREAM_GRACE', { WOL_UPSTREAM_GRACE: '-1d' }],
    ])('stops on a bad or missing %s and names it', (name, extra) => {
      const env = national(
        Object.fromEntries(
          Object.entries(extra).map(([k, v]) => [k, v.endsWith('.json') && !v.startsWith('/') ? file(v) : v]),
        ),
      );
      expect(() => loadConfig(env)).toThrowError(ConfigError);
      expect(() => loadConfig(env)).toThrowError(new RegExp(`${name}:`));
    });
  });
});
