import type { Clock, TimerHandle } from '../clock';
import type { AckPolicy } from '../connection/connection';
import type { TcpAcker } from '../transport/quick-ack';

/**
 * When to acknowledge the broker's packets at once, and when to let ACKs wait (TCP_QUICKACK 1 / 0,
 * transport/quick-ack.ts; issue #7, perf-anchor F3).
 *
 * A broker with Nagle's algorithm on (mosquitto's default) holds its next small packet to us until its last one
 * is acknowledged. Two consequences, one rule each:
 *
 * 1. **Answers** — Linux delays our ACK by 40 ms when we wrote just before ("ping-pong" mode). The packet that
 *    hurts is an answer to a publish of ours (PUBACK, PUBCOMP) that we do not answer in turn: a request → response
 *    round trip then waits 40 ms. So when a read brought such an answer, nothing of ours is waiting to be written
 *    (which would carry the ACK) and no other answer is awaited, the ACK is sent now.
 * 2. **Streams** — a client that only reads acknowledges every read at once, so the broker sends a stream of
 *    messages in segments of a few messages, and each wakes the client: about 6–8 µs of CPU per message on each
 *    side (the issue #7 bench, qos0 rows, "bad mode"). When a read brought several PUBLISHes, the ACK is delayed
 *    instead: the broker fills whole segments meanwhile (about 1 µs per message). The delay is bounded: at most
 *    {@link STREAM_ACK_DELAY_MS} after the last such read the ACK is sent, so the tail of a stream is not held
 *    for the kernel's 40 ms. A sporadic message (one per read) is acknowledged as before.
 */

/** The answers that count for rule 1: those that end a publish (not CONNACK / SUBACK / UNSUBACK). */
const ANSWERS = new Set(['puback', 'pubcomp']);
/** Rule 2 applies to a read that brought at least this many PUBLISH packets. */
export const STREAM_PUBLISHES = 3;
/** Rule 2: the longest an ACK is held after the last streaming read. */
export const STREAM_ACK_DELAY_MS = 1;

/** The policy for a connection, or undefined without an acker (TCP_QUICKACK off or unavailable). */
export function quickAckPolicy(
  acker: TcpAcker | false | undefined,
  stillAwaiting: () => boolean,
  clock: Clock,
): AckPolicy | undefined {
  if (!acker) return undefined;
  let answerRead = false;
  let publishes = 0;
  let lastDelayAt = 0;
  // the socket stays in delayed-ACK mode until we leave it, or until the kernel leaves it (its delayed-ACK timer
  // fired, or data came out of order): asserted again at most once per STREAM_ACK_DELAY_MS, not on every read
  let delaying = false;
  let assertedAt = 0;
  let timer: TimerHandle | undefined;
  // sends the held ACK once no streaming read came for STREAM_ACK_DELAY_MS (one timer, moved on lazily)
  const release = (): void => {
    const left = STREAM_ACK_DELAY_MS - (clock.now() - lastDelayAt);
    if (left > 0) {
      timer = clock.setTimer(release, left);
      return;
    }
    timer = undefined;
    delaying = false;
    acker.now();
  };
  return {
    packet(cmd) {
      if (cmd === 'publish') publishes++;
      else if (ANSWERS.has(cmd)) answerRead = true;
    },
    afterRead(writerIdle) {
      if (publishes >= STREAM_PUBLISHES) {
        lastDelayAt = clock.now();
        if (!delaying || lastDelayAt - assertedAt >= STREAM_ACK_DELAY_MS) {
          acker.delay();
          delaying = true;
          assertedAt = lastDelayAt;
        }
        timer ??= clock.setTimer(release, STREAM_ACK_DELAY_MS);
      }
      if (answerRead && writerIdle && !stillAwaiting()) {
        acker.now();
        delaying = false;
      }
      answerRead = false;
      publishes = 0;
    },
    close() {
      timer?.cancel();
      timer = undefined;
    },
  };
}
