import { describe, expect, it } from 'vitest';
import { Reconnector } from '../../lib/core/reconnect';
import { FakeClock } from '../helpers/fake-clock';

describe('Reconnector: capped, jittered exponential backoff', () => {
  function make(random: () => number) {
    const clock = new FakeClock();
    const scheduled: [number, number][] = [];
    let attempts = 0;
    const policy = { enabled: true, initialDelay: 1000, maxDelay: 8000 };
    const r = new Reconnector(
      clock,
      () => policy,
      () => attempts++,
      (a, d) => scheduled.push([a, d]),
      random,
    );
    return { clock, r, scheduled, policy, attempts: () => attempts };
  }

  it('doubles per failed attempt up to the cap; jitter keeps each delay within [base/2, base]', () => {
    const lo = make(() => 0);
    const hi = make(() => 0.999999);
    for (const m of [lo, hi]) {
      for (let i = 0; i < 6; i++) {
        m.r.connectionLost();
        m.clock.advance(10_000);
      }
    }
    expect(lo.scheduled.map(([, d]) => d)).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect(hi.scheduled.map(([, d]) => d)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(lo.scheduled.map(([a]) => a)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lo.attempts()).toBe(6);
  });

  it('fires only after the delay; connected() resets the backoff; cancel() stops a pending attempt', () => {
    const m = make(() => 1);
    m.r.connectionLost();
    m.clock.advance(999);
    expect(m.attempts()).toBe(0);
    m.clock.advance(1);
    expect(m.attempts()).toBe(1);
    m.r.connectionLost();
    expect(m.scheduled[1]![1]).toBe(2000);
    m.r.cancel();
    m.clock.advance(5000);
    expect(m.attempts()).toBe(1);
    m.r.connected();
    m.r.connectionLost();
    expect(m.scheduled[2]![1]).toBe(1000);
  });

  it('does nothing when disabled', () => {
    const m = make(() => 1);
    m.policy.enabled = false;
    m.r.connectionLost();
    m.clock.advance(100_000);
    expect(m.scheduled).toEqual([]);
    expect(m.attempts()).toBe(0);
  });
});
