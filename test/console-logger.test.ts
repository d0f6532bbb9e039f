/** The Workers logger: pino's line shape over console, the same redaction, the level honoured. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsoleLogger } from '../src/console-logger.ts';

afterEach(() => vi.restoreAllMocks());

describe('console logger', () => {
  it('writes one JSON line per event, errors as objects, secrets masked', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => lines.push(line));
    const log = createConsoleLogger('info').child({ worker: 'edge' });
    log.error(
      {
        err: new TypeError('boom'),
        token: 'wol_isp_secret',
        headers: { authorization: 'Bearer wol_x', accept: '*/*' },
      },
      'it failed',
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 50,
      worker: 'edge',
      msg: 'it failed',
      err: { type: 'TypeError', message: 'boom' },
      token: '[redacted]',
      headers: { authorization: '[redacted]', accept: '*/*' },
    });
    expect(lines[0]).not.toContain('wol_');
  });

  it('drops events below its level, and everything when silent', () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    createConsoleLogger('warn').info({ a: 1 }, 'not shown');
    createConsoleLogger('warn').warn('shown');
    createConsoleLogger('silent').warn('not shown');
    expect(info).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(warn.mock.calls[0]![0] as string)).toMatchObject({ level: 40, msg: 'shown' });
  });
});
