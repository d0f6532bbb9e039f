/**
 * WOL_BUILD_CRON is checked twice: its shape by config.ts on every runtime (no scheduler
 * loaded, so Workers bundle none), then by node-cron itself when the Node entry starts.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { cronShapeError } from '../src/core/cron-expression.ts';
import { assertSchedulable } from '../src/schedule/cron.ts';

describe('cron expressions', () => {
  it.each(['0 * * * *', '*/15 * * * *', '0 0 6,18 * * *', '30 2 * * mon-fri', '0 0 1 jan *', '@hourly'])(
    'accepts the shape of %s',
    (expression) => {
      expect(cronShapeError(expression)).toBeNull();
      expect(loadConfig({ WOL_BUILD_CRON: expression }).WOL_BUILD_CRON).toBe(expression);
    },
  );

  it.each([
    ['every hour', /5 or 6 fields, got 2/],
    ['* * * *', /got 4/],
    ['0 * * * * * *', /got 7/],
    ['0 * * * $', /field "\$"/],
    ['', /got 1/],
  ])('refuses the shape of %j', (expression, reason) => {
    expect(cronShapeError(expression)).toMatch(reason);
  });

  it('leaves the ranges to node-cron, which the Node start-up asks', () => {
    expect(cronShapeError('99 * * * *')).toBeNull();
    expect(() => assertSchedulable('99 * * * *')).toThrowError(ConfigError);
    expect(() => assertSchedulable('99 * * * *')).toThrowError(/WOL_BUILD_CRON: .*99/);
    expect(() => assertSchedulable('0 * * * *')).not.toThrow();
    expect(() => assertSchedulable('off')).not.toThrow();
  });
});
