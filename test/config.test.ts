import { describe, expect, it } from 'vitest';
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
  ])('stops on a bad %s and names it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrowError(new RegExp(`${name}:`));
  });
});
