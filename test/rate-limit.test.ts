import { describe, expect, it } from 'vitest';
import { addressKey, FixedWindowLimiter } from '../src/http/rate-limit.ts';

describe('the fixed-window limiter', () => {
  it('admits the limit per window, then says when to come back', () => {
    const limiter = new FixedWindowLimiter({ limit: 3, windowMs: 60_000 });
    expect([0, 1, 2].map((t) => limiter.take('a', t).allowed)).toEqual([true, true, true]);
    expect(limiter.take('a', 1_000)).toEqual({ allowed: false, retryAfterSeconds: 59 });
    expect(limiter.take('a', 59_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', 2_000)).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.take('a', 60_000)).toEqual({ allowed: true, remaining: 2 });
  });

  it('forgets expired windows and never holds more than maxKeys', () => {
    const limiter = new FixedWindowLimiter({ limit: 1, windowMs: 1_000, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) limiter.take(`k${i}`, 0);
    expect(limiter.size).toBe(100);
    // The oldest were forgotten: they start afresh. The newest are still counted.
    expect(limiter.take('k0', 1).allowed).toBe(true);
    expect(limiter.take('k9999', 1).allowed).toBe(false);
    limiter.take('late', 5_000);
    expect(limiter.size).toBe(1);
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s -> %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
