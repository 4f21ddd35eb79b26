import type { Duplex } from 'node:stream';
import type { AckPolicy } from '../connection/connection';
import { quickAcker } from '../transport/quick-ack';

/**
 * When to acknowledge the broker's packets at once (TCP_QUICKACK, transport/quick-ack.ts; issue #7, perf-anchor F3).
 *
 * While an answer is awaited (a PUBACK, SUBACK, …) a broker with Nagle's algorithm on holds its next small packet
 * to us until that answer is acknowledged; Linux delays the ACK 40 ms when we wrote just before ("ping-pong"
 * mode). So after each write while an answer is awaited the socket is set to acknowledge at once. Once nothing
 * is awaited any more it goes back to ping-pong mode, where it would be without us: a client that only streams
 * (a subscriber, a QoS 0 publisher) sends fewer ACK segments and the broker fewer, larger segments.
 */
export function quickAckPolicy(stream: Duplex, awaiting: () => boolean): AckPolicy | undefined {
  const set = quickAcker(stream);
  if (!set) return undefined;
  let quick = false;
  return {
    afterWrite() {
      // every write re-enters ping-pong mode (it follows a read): set it again each time
      if (awaiting()) {
        set(true);
        quick = true;
      }
    },
    afterRead() {
      if (quick && !awaiting()) {
        set(false);
        quick = false;
      }
    },
  };
}
