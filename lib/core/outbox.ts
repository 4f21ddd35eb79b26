import { QMqttError } from '../errors';
import type { PublishPacket, PubackPacket, PubcompPacket, PubrecPacket } from '../packet/codec';
import { messageStatusPropertiesFromWire } from '../properties';
import { ReasonCode } from '../reason-codes';
import { settlePublish, type OutgoingMessage, type PublishWaiter } from '../session/session';
import { ClientError, MessageStatus, ProtocolVersion } from '../state';
import type { QMqttServerConnectionProperties } from '../properties';
import { publishOverLimits } from './limits';
import type { ClientCore } from './client-core';

/** Bytes the writer may hold before further publishes wait in the queue (perf-anchor F4). */
export const WRITER_BUDGET = 1024 * 1024;

/**
 * The outgoing half of the session: publishes leave in order, QoS 1/2 only while the send quota allows
 * (Receive Maximum, MQTT 5 §4.9, or the in-flight window under 3.1.1 — perf-anchor F2), and only while the
 * writer is under its byte budget. Acknowledgements complete them.
 */
export class Outbox {
  /** QoS 2 messages in {@link Session.inflight}, for {@link ClientCore.qos2Quota}. */
  private qos2InFlight = 0;

  constructor(private readonly core: ClientCore) {}

  /** Counts the QoS 2 messages in flight again (after CONNACK: a resumed, restarted or loaded session). */
  countQos2InFlight(): void {
    let n = 0;
    for (const msg of this.core.session.inflight.values()) if (msg.packet.qos === 2) n++;
    this.qos2InFlight = n;
  }

  /** Queues an already validated message and sends what may be sent. */
  submit(packet: PublishPacket, settle: PublishWaiter | undefined): void {
    this.core.session.enqueue({ packet, stage: 'queued', settle });
    this.pump();
  }

  /** Sends queued messages while the connection, the send quota and the writer allow. */
  pump(): void {
    const core = this.core;
    const conn = core.conn;
    if (!conn || !core.isConnected) return;
    const session = core.session;
    const quota = core.sendQuota();
    const quota2 = core.qos2Quota();
    for (;;) {
      const next = session.queue.peek();
      if (!next) return;
      if (conn.writer.bufferedBytes >= WRITER_BUDGET) return;
      // in order: a QoS 2 message waiting for its window holds back the messages behind it
      if (next.packet.qos > 0 && session.inflight.size >= quota) return;
      if (next.packet.qos === 2 && this.qos2InFlight >= quota2) return;
      session.dequeue();
      this.send(next);
    }
  }

  private send(msg: OutgoingMessage): void {
    const conn = this.core.conn!;
    if (msg.packet.qos === 0) {
      const settle = msg.settle;
      const aliases = this.core.aliasesOut;
      conn.send(
        aliases ? aliases.apply(msg.packet) : msg.packet,
        settle &&
          ((err) =>
            settlePublish(settle, err ?? null, err ? undefined : { id: 0, reasonCode: ReasonCode.Success })),
      );
      return;
    }
    if (msg.packet.qos === 2) this.qos2InFlight++;
    this.core.session.markInflight(msg, msg.packet.qos === 1 ? 'puback' : 'pubrec');
    const aliases = this.core.aliasesOut;
    conn.send(aliases ? aliases.apply(msg.packet) : msg.packet);
  }

  /**
   * After an MQTT 5 CONNACK: publishes queued before it were checked against the limits known then (or none);
   * those this server forbids (Maximum QoS, Retain Available, Topic Alias Maximum, Maximum Packet Size) leave the
   * queue unsent and fail: the promise rejects, or `errorOccurred` reports it for `publish()`.
   */
  refuseQueuedOverLimits(server: QMqttServerConnectionProperties): void {
    const refused = new Map<OutgoingMessage, QMqttError>();
    this.core.session.removeQueued((msg) => {
      const problem = publishOverLimits(msg.packet, server);
      if (problem) refused.set(msg, problem);
      return problem !== undefined;
    });
    for (const [msg, error] of refused) {
      if (msg.settle) settlePublish(msg.settle, error);
      else this.core.host.errorOccurred.emit(error);
    }
  }

  /**
   * After CONNACK with a session present: every unacknowledged PUBLISH again with DUP set, every PUBREL again,
   * with the original ids, in the original order [MQTT-4.4.0-1], [MQTT-3.3.1-1].
   */
  resendInflight(): void {
    const conn = this.core.conn!;
    for (const [id, msg] of this.core.session.inflight) {
      if (msg.stage === 'pubcomp') conn.send({ cmd: 'pubrel', messageId: id });
      else {
        msg.packet.dup = true;
        conn.send(msg.packet);
      }
    }
  }

  /** [MQTT-4.3.2] QoS 1 acknowledged. */
  onPuback(packet: PubackPacket): void {
    const id = packet.messageId!;
    const msg = this.core.session.inflight.get(id);
    if (!msg || msg.stage !== 'puback') return; // not in flight: nothing to complete [MQTT-4.3.2]
    this.core.session.complete(id);
    this.finish(id, msg, MessageStatus.Acknowledged, packet.reasonCode ?? 0, packet.properties);
    this.pump();
  }

  /** [MQTT-4.3.3] QoS 2, first half acknowledged: answer with PUBREL, unless the broker refused it (v5). */
  onPubrec(packet: PubrecPacket): void {
    const core = this.core;
    const id = packet.messageId!;
    const msg = core.session.inflight.get(id);
    const rc = packet.reasonCode ?? 0;
    if (!msg || msg.stage === 'puback') {
      // v5 §4.3.3: a PUBREC for an id we do not hold is answered with PUBREL 0x92 (Packet Identifier not found)
      if (core.protocolVersion === ProtocolVersion.MQTT_5_0)
        core.conn?.send({ cmd: 'pubrel', messageId: id, reasonCode: ReasonCode.MessageIdNotFound });
      else core.conn?.send({ cmd: 'pubrel', messageId: id });
      return;
    }
    if (msg.stage === 'pubcomp') {
      core.conn?.send({ cmd: 'pubrel', messageId: id }); // a repeated PUBREC: repeat PUBREL
      return;
    }
    if (rc >= 0x80) {
      // [MQTT-4.3.3] v5: a PUBREC with a failure code ends the exchange; the quota is returned
      core.session.complete(id);
      this.qos2InFlight--;
      this.finish(id, msg, MessageStatus.Received, rc, packet.properties);
      this.pump();
      return;
    }
    core.session.markInflight(msg, 'pubcomp');
    if (core.host.messageStatusChanged.listenerCount > 0)
      core.host.messageStatusChanged.emit(
        id,
        MessageStatus.Received,
        messageStatusPropertiesFromWire(rc, packet.properties),
      );
    core.conn?.send({ cmd: 'pubrel', messageId: id });
  }

  /** [MQTT-4.3.3] QoS 2 complete. */
  onPubcomp(packet: PubcompPacket): void {
    const id = packet.messageId!;
    const msg = this.core.session.inflight.get(id);
    if (!msg || msg.stage !== 'pubcomp') return;
    this.core.session.complete(id);
    this.qos2InFlight--;
    this.finish(id, msg, MessageStatus.Completed, packet.reasonCode ?? 0, packet.properties);
    this.pump();
  }

  private finish(
    id: number,
    msg: OutgoingMessage,
    status: MessageStatus,
    rc: number,
    wireProps: PubackPacket['properties'],
  ): void {
    const host = this.core.host;
    if (host.messageStatusChanged.listenerCount > 0)
      host.messageStatusChanged.emit(id, status, messageStatusPropertiesFromWire(rc, wireProps));
    if (rc < 0x80) {
      host.messageSent.emit(id);
      settlePublish(msg.settle, null, {
        id,
        reasonCode: rc,
        reasonString: wireProps?.reasonString,
        userProperties: wireProps?.userProperties,
      });
    } else {
      settlePublish(
        msg.settle,
        new QMqttError(
          `The broker refused message ${id}`,
          ClientError.Mqtt5SpecificError,
          rc,
          wireProps?.reasonString,
        ),
      );
    }
  }
}
