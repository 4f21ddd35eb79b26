import type { PublishPacket } from '../packet/codec';

/** Stage of an outgoing QoS 1/2 message (MQTT §4.3). */
export type OutgoingStage =
  /** accepted by publish(), not yet written (waiting for the send quota, the writer or a connection) */
  | 'queued'
  /** QoS 1 PUBLISH sent, waiting for PUBACK */
  | 'puback'
  /** QoS 2 PUBLISH sent, waiting for PUBREC */
  | 'pubrec'
  /** QoS 2 PUBREL sent, waiting for PUBCOMP */
  | 'pubcomp';

/** What a store keeps of one outgoing message. */
export interface StoredOutgoing {
  id: number;
  stage: OutgoingStage;
  packet: PublishPacket;
}

/**
 * Where the state that outlives a connection is kept (MQTT §4.1): outgoing QoS 1/2 messages and the ids of
 * incoming QoS 2 messages whose PUBREL has not arrived. The in-memory store is the default; a persistent
 * store makes a restarted process continue the same session.
 */
export interface SessionStore {
  /** Everything stored, in the order the messages were published. */
  load(): { outgoing: StoredOutgoing[]; incomingQos2: number[] };
  putOutgoing(entry: StoredOutgoing): void;
  deleteOutgoing(id: number): void;
  putIncomingQos2(id: number): void;
  deleteIncomingQos2(id: number): void;
  clear(): void;
}

/** Keeps nothing beyond the process: the session lives in the client's own maps. */
export class MemorySessionStore implements SessionStore {
  load(): { outgoing: StoredOutgoing[]; incomingQos2: number[] } {
    return { outgoing: [], incomingQos2: [] };
  }
  putOutgoing(): void {}
  deleteOutgoing(): void {}
  putIncomingQos2(): void {}
  deleteIncomingQos2(): void {}
  clear(): void {}
}
