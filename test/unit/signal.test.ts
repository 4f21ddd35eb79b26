/** Signal: listener lists, the connection handle, once, and changes during an emission. */
import { describe, it, expect } from 'vitest';
import { Signal } from '../../lib/signal';

describe('Signal', () => {
  it('calls listeners in order; the handle disconnects exactly its listener and reports it', () => {
    const s = new Signal<[number]>('test');
    const got: string[] = [];
    const a = s.connect((n) => got.push(`a${n}`));
    const b = s.connect((n) => got.push(`b${n}`));
    const fn = (n: number) => got.push(`c${n}`);
    s.connect(fn);
    s.connect(fn);
    expect(s.listenerCount).toBe(4);
    s.emit(1);
    expect(a.connected).toBe(true);
    a.disconnect();
    a.disconnect();
    expect(a.connected).toBe(false);
    expect(b.connected).toBe(true);
    s.emit(2);
    s.disconnect(fn);
    s.emit(3);
    expect(got).toEqual(['a1', 'b1', 'c1', 'c1', 'b2', 'c2', 'c2', 'b3']);
    s.disconnect();
    expect(b.connected).toBe(false);
    expect(s.listenerCount).toBe(0);
  });

  it('once: called a single time, then reported disconnected', () => {
    const s = new Signal<[]>('test');
    let n = 0;
    const h = s.once(() => n++);
    s.emit();
    s.emit();
    expect(n).toBe(1);
    expect(h.connected).toBe(false);
    expect(s.listenerCount).toBe(0);
  });

  it('listeners connected or disconnected during an emission do not change that emission', () => {
    const s = new Signal<[]>('test');
    const got: string[] = [];
    let late: { disconnect(): void } | undefined;
    s.connect(() => {
      got.push('first');
      late ??= s.connect(() => got.push('late'));
      second.disconnect();
    });
    const second = s.connect(() => got.push('second'));
    s.emit();
    s.emit();
    expect(got).toEqual(['first', 'first', 'late']);
  });

  it('a throwing listener is reported and the others still run', () => {
    const s = new Signal<[]>('boom');
    const errors: string[] = [];
    const previous = Signal.onListenerError((e, name) => errors.push(`${name}: ${(e as Error).message}`));
    try {
      let ran = false;
      s.connect(() => {
        throw new Error('x');
      });
      s.connect(() => (ran = true));
      s.emit();
      expect(ran).toBe(true);
      expect(errors).toEqual(['boom: x']);
    } finally {
      Signal.onListenerError(previous);
    }
  });
});
