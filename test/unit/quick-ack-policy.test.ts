import { describe, expect, it } from 'vitest';
import { quickAckPolicy, STREAM_ACK_DELAY_MS, STREAM_PUBLISHES } from '../../lib/core/quick-ack-policy';
import { FakeClock } from '../helpers/fake-clock';

// perf-anchor F3: when the client sets TCP_QUICKACK (the kernel side is tested in test/broker/quick-ack.test.ts)
describe('TCP_QUICKACK policy', () => {
  function policy() {
    let acks = 0;
    let delays = 0;
    let awaiting = false;
    const clock = new FakeClock();
    const p = quickAckPolicy({ now: () => acks++, delay: () => delays++ }, () => awaiting, clock)!;
    return {
      p,
      clock,
      acks: () => acks,
      delays: () => delays,
      answerRead: () => p.packet('puback'),
      awaiting: (on: boolean) => (awaiting = on),
      /** One read that brought `n` PUBLISH packets. */
      publishesRead: (n: number) => {
        for (let i = 0; i < n; i++) p.packet('publish');
        p.afterRead(true);
      },
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

  it('does nothing for reads of one or two messages (a subscriber receiving sporadic messages)', () => {
    const t = policy();
    for (let i = 0; i < 5; i++) t.publishesRead(1 + (i % 2));
    expect(t.acks()).toBe(0);
    expect(t.delays()).toBe(0);
    expect(t.clock.pending).toBe(0);
  });

  it(`rule 2: delays the ACK after a read of ${STREAM_PUBLISHES} or more messages, and sends it ${STREAM_ACK_DELAY_MS} ms after the last such read`, () => {
    const t = policy();
    t.publishesRead(STREAM_PUBLISHES - 1);
    expect(t.delays()).toBe(0);
    t.publishesRead(STREAM_PUBLISHES);
    expect(t.delays()).toBe(1);
    expect(t.acks()).toBe(0);
    // the stream goes on: the release moves with the last streaming read; the mode is set again at most once per
    // STREAM_ACK_DELAY_MS (in case the kernel left it), not on every read
    for (let i = 0; i < 4; i++) {
      t.clock.advance(STREAM_ACK_DELAY_MS / 2);
      t.publishesRead(50);
    }
    expect(t.delays()).toBe(3);
    expect(t.acks()).toBe(0);
    expect(t.clock.pending).toBe(1); // one timer, not one per read
    // the stream stops: the held ACK goes out once STREAM_ACK_DELAY_MS has passed since the last streaming read
    t.clock.advance(STREAM_ACK_DELAY_MS / 2);
    expect(t.acks()).toBe(0);
    t.clock.advance(STREAM_ACK_DELAY_MS / 2);
    expect(t.acks()).toBe(1);
    expect(t.clock.pending).toBe(0);
    // a later stream starts it over
    t.publishesRead(10);
    t.clock.advance(STREAM_ACK_DELAY_MS);
    expect([t.delays(), t.acks()]).toEqual([4, 2]);
  });

  it('rule 2: many streaming reads within STREAM_ACK_DELAY_MS set the mode once (one setsockopt, not one per read)', () => {
    const t = policy();
    for (let i = 0; i < 100; i++) t.publishesRead(STREAM_PUBLISHES);
    expect(t.delays()).toBe(1);
    // rule 1 left the mode for an answer: the next streaming read sets it again at once
    t.answerRead();
    t.p.afterRead(true);
    expect(t.acks()).toBe(1);
    t.publishesRead(STREAM_PUBLISHES);
    expect(t.delays()).toBe(2);
  });

  it('rule 2: the count is per read (messages spread over reads do not add up)', () => {
    const t = policy();
    for (let i = 0; i < 10; i++) t.publishesRead(STREAM_PUBLISHES - 1);
    expect(t.delays()).toBe(0);
  });

  it('rule 2: closing the connection cancels the release timer', () => {
    const t = policy();
    t.publishesRead(10);
    expect(t.clock.pending).toBe(1);
    t.p.close();
    expect(t.clock.pending).toBe(0);
    t.clock.advance(10 * STREAM_ACK_DELAY_MS);
    expect(t.acks()).toBe(0);
  });

  it('rule 1 still acks at once when a streaming read also brought the last answer', () => {
    const t = policy();
    t.answerRead();
    t.publishesRead(5);
    expect([t.delays(), t.acks()]).toEqual([1, 1]);
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
    expect(quickAckPolicy(undefined, () => false, new FakeClock())).toBeUndefined();
    expect(quickAckPolicy(false, () => false, new FakeClock())).toBeUndefined();
  });
});
