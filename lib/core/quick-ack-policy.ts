import type { AckPolicy } from '../connection/connection';

/**
 * When to acknowledge the broker's packets at once (TCP_QUICKACK, transport/quick-ack.ts; issue #7, perf-anchor F3).
 *
 * A broker with Nagle's algorithm on holds its next small packet to us until its last one is acknowledged, and
 * Linux delays that ACK by 40 ms when we wrote just before ("ping-pong" mode). The packet that hurts is an answer
 * to a publish of ours (PUBACK, PUBCOMP) that we do not answer in turn: a request → response round trip then
 * waits 40 ms. So when a read brought such an answer, nothing of
 * ours is waiting to be written (which would carry the ACK) and no other answer is awaited, the ACK is sent now.
 * A streaming client (more publishes follow, many answers outstanding, or only messages in) never gets here and
 * keeps the kernel's economy of ACKs: the broker then sends its answers in fewer, larger segments.
 */
/**
 * The answers that count: those that end a publish. Not CONNACK / SUBACK / UNSUBACK: A/B runs showed that acking
 * those at once leaves a subscriber's socket in a mode where the stream that follows costs it and the broker
 * more CPU per message (perf-anchor F3 / issue #7 bench, qos0-window).
 */
const ANSWERS = new Set(['puback', 'pubcomp']);

/** The policy for a connection, or undefined without `ackNow` (TCP_QUICKACK off or unavailable). */
export function quickAckPolicy(
  ackNow: (() => void) | false | undefined,
  stillAwaiting: () => boolean,
): AckPolicy | undefined {
  if (!ackNow) return undefined;
  let answerRead = false;
  return {
    packet(cmd) {
      if (ANSWERS.has(cmd)) answerRead = true;
    },
    afterRead(writerIdle) {
      if (answerRead && writerIdle && !stillAwaiting()) ackNow();
      answerRead = false;
    },
  };
}
