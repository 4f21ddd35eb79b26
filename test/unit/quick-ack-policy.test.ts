import { describe, expect, it } from 'vitest';
import { quickAckPolicy } from '../../lib/core/quick-ack-policy';

// perf-anchor F3: when the client sets TCP_QUICKACK (the kernel side is tested in test/broker/quick-ack.test.ts)
describe('TCP_QUICKACK policy', () => {
  function policy() {
    let acks = 0;
    let awaiting = false;
    const p = quickAckPolicy(
      () => acks++,
      () => awaiting,
    )!;
    return {
      p,
      acks: () => acks,
      answerRead: () => p.packet('puback'),
      awaiting: (on: boolean) => (awaiting = on),
    };
  }

  it('acknowledges at once after a read that brought an answer while nothing of ours waits to be written', () => {
    const t = policy();
    t.answerRead();
    t.p.afterRead(true);
    expect(t.acks()).toBe(1);
  });

  it('leaves the ACK to our next packet when one is waiting to be written (a streaming publisher)', () => {
    const t = policy();
    t.answerRead();
    t.p.afterRead(false);
    expect(t.acks()).toBe(0);
    // the answer was consumed with that read: a later idle read without an answer does nothing
    t.p.afterRead(true);
    expect(t.acks()).toBe(0);
  });

  it('leaves the ACK to the kernel while other answers are awaited (a publisher with many messages in flight)', () => {
    const t = policy();
    t.awaiting(true);
    t.answerRead();
    t.p.afterRead(true);
    expect(t.acks()).toBe(0);
    t.awaiting(false); // the last answer
    t.answerRead();
    t.p.afterRead(true);
    expect(t.acks()).toBe(1);
  });

  it('does nothing for reads without an answer (a subscriber receiving messages)', () => {
    const t = policy();
    for (let i = 0; i < 5; i++) {
      t.p.packet('publish');
      t.p.afterRead(true);
    }
    expect(t.acks()).toBe(0);
  });

  it('counts the answers that end a publish (PUBACK, PUBCOMP), not CONNACK, SUBACK, UNSUBACK, PUBREC, PINGRESP', () => {
    for (const [cmd, acks] of [
      ['puback', 1],
      ['pubcomp', 1],
      ['connack', 0], // acking these at once made a subscriber's stream costlier (bench A/B)
      ['suback', 0],
      ['unsuback', 0],
      ['pubrec', 0], // answered with our PUBREL, which carries the ACK
      ['pingresp', 0],
    ] as const) {
      const t = policy();
      t.p.packet(cmd);
      t.p.afterRead(true);
      expect(t.acks(), cmd).toBe(acks);
    }
  });

  it('is off without a way to set TCP_QUICKACK', () => {
    expect(quickAckPolicy(undefined, () => false)).toBeUndefined();
    expect(quickAckPolicy(false, () => false)).toBeUndefined();
  });
});
