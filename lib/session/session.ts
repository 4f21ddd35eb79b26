import type { Deferred } from '../core/pending';
import type { PublishPacket } from '../packet/codec';
import { Fifo } from './fifo';
import { PacketIdAllocator } from './packet-ids';
import type { OutgoingStage, SessionStore } from './store';
import { MemorySessionStore } from './store';

/** How an outgoing publish ended, handed to its completion callback. */
export interface PublishOutcome {
  id: number;
  /** MQTT reason code of the acknowledgement (0 for success; under 3.1.1 always 0). */
  reasonCode: number;
  reasonString?: string;
  userProperties?: Record<string, string | string[]>;
}

export type PublishSettle = (error: Error | null, outcome?: PublishOutcome) => void;

/**
 * Who learns how a publish ended: a callback, or the resolve / reject of `publishAsync`'s promise held as they
 * are (no closure around them: with thousands of messages in flight every retained byte is copied by each
 * garbage collection).
 */
export type PublishWaiter = PublishSettle | Deferred<PublishOutcome>;

/** Tells `waiter` (if any) how its publish ended. */
export function settlePublish(
  waiter: PublishWaiter | undefined,
  error: Error | null,
  outcome?: PublishOutcome,
): void {
  if (!waiter) return;
  if (typeof waiter === 'function') waiter(error, outcome);
  else if (error) waiter.reject(error);
  else waiter.resolve(outcome!);
}

/** One outgoing application message, from publish() until it is done. */
export interface OutgoingMessage {
  packet: PublishPacket;
  stage: OutgoingStage;
  settle: PublishWaiter | undefined;
}

/**
 * The client side of an MQTT session (§4.1): packet ids, outgoing messages in order (queued, then in flight),
 * and the ids of incoming QoS 2 messages whose PUBREL is awaited. It outlives connections.
 */
export class Session {
  readonly ids = new PacketIdAllocator();
  /** Accepted, not yet written, in publish order (QoS 0 included). */
  readonly queue = new Fifo<OutgoingMessage>();
  /** Written QoS 1/2 messages awaiting acknowledgement, in send order (Map keeps insertion order). */
  readonly inflight = new Map<number, OutgoingMessage>();
  /** [MQTT-4.3.3-2] ids of incoming QoS 2 PUBLISHes acknowledged with PUBREC, until PUBREL. */
  readonly incomingQos2 = new Set<number>();
  /** Bytes of payload waiting in {@link queue}. */
  queuedBytes = 0;

  /** False for the in-memory store, whose methods do nothing: the hot path then builds no store entries. */
  private readonly persistent: boolean;

  constructor(readonly store: SessionStore = new MemorySessionStore()) {
    this.persistent = store.constructor !== MemorySessionStore;
    // a persistent store hands back the session of an earlier process: same ids, same order, same stages
    const saved = store.load();
    for (const e of saved.outgoing) {
      this.ids.reserve(e.id);
      const msg: OutgoingMessage = { packet: e.packet, stage: e.stage, settle: undefined };
      if (e.stage === 'queued') {
        this.queue.push(msg);
        this.queuedBytes += e.packet.payload.length;
      } else this.inflight.set(e.id, msg);
    }
    for (const id of saved.incomingQos2) this.incomingQos2.add(id);
  }

  enqueue(msg: OutgoingMessage): void {
    this.queue.push(msg);
    this.queuedBytes += msg.packet.payload.length;
    if (msg.packet.qos > 0 && this.persistent)
      this.store.putOutgoing({ id: msg.packet.messageId!, stage: 'queued', packet: msg.packet });
  }

  /** Takes the next queued message out of the queue. */
  dequeue(): OutgoingMessage | undefined {
    const msg = this.queue.shift();
    if (msg) this.queuedBytes -= msg.packet.payload.length;
    return msg;
  }

  /** Takes the queued messages `drop` picks out of the session: their ids are free again. */
  removeQueued(drop: (msg: OutgoingMessage) => boolean): OutgoingMessage[] {
    const removed = this.queue.remove(drop);
    for (const msg of removed) {
      this.queuedBytes -= msg.packet.payload.length;
      if (msg.packet.qos > 0) {
        this.ids.release(msg.packet.messageId!);
        this.store.deleteOutgoing(msg.packet.messageId!);
      }
    }
    return removed;
  }

  /** Moves a written QoS 1/2 message in flight. */
  markInflight(msg: OutgoingMessage, stage: OutgoingStage): void {
    msg.stage = stage;
    this.inflight.set(msg.packet.messageId!, msg);
    if (this.persistent) this.store.putOutgoing({ id: msg.packet.messageId!, stage, packet: msg.packet });
  }

  /** Ends an in-flight message: frees its id, forgets it. */
  complete(id: number): OutgoingMessage | undefined {
    const msg = this.inflight.get(id);
    if (!msg) return undefined;
    this.inflight.delete(id);
    this.ids.release(id);
    if (this.persistent) this.store.deleteOutgoing(id);
    return msg;
  }

  /**
   * The broker has no session for us (CONNACK Session Present 0) although we hold one. Nothing is dropped:
   * messages whose PUBREC arrived are complete (the broker owns them [MQTT-4.3.3]); every other unacknowledged
   * message goes back to the front of the queue, in order, to be sent again as a new message.
   * Incoming QoS 2 ids are forgotten: the broker will not send PUBREL for them.
   */
  restartAfterSessionLoss(): OutgoingMessage[] {
    const completed: OutgoingMessage[] = [];
    const resend: OutgoingMessage[] = [];
    for (const [id, msg] of this.inflight) {
      if (msg.stage === 'pubcomp') {
        this.ids.release(id);
        this.store.deleteOutgoing(id);
        completed.push(msg);
      } else {
        msg.packet.dup = false;
        resend.push(msg);
      }
    }
    this.inflight.clear();
    for (const id of this.incomingQos2) this.store.deleteIncomingQos2(id);
    this.incomingQos2.clear();
    const rest = this.queue.drain();
    for (const m of resend) {
      m.stage = 'queued';
      this.store.putOutgoing({ id: m.packet.messageId!, stage: 'queued', packet: m.packet });
      this.queue.push(m);
      this.queuedBytes += m.packet.payload.length;
    }
    for (const m of rest) this.queue.push(m);
    return completed;
  }
}
