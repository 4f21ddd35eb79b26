import { QMqttMessage } from '../../message';
import type { PublishPacket, PubrelPacket } from '../../packet/codec';
import { messageStatusPropertiesFromWire, publishPropertiesFromWire } from '../../properties';
import { ReasonCode } from '../../reason-codes';
import { MessageStatus, ProtocolVersion } from '../../state';
import { QMqttTopicName } from '../../topic/topic-name';
import type { ClientCore } from '../../core/client-core';

/**
 * Incoming PUBLISH (MQTT §3.3, §4.3). QoS 1: deliver, then PUBACK [MQTT-4.3.2-4]. QoS 2: deliver once, store
 * the id and answer PUBREC; a re-sent PUBLISH with an id already stored is acknowledged again but not
 * delivered again [MQTT-4.3.3-2] (Qt delivers it twice).
 */
export function handlePublish(core: ClientCore, packet: PublishPacket): void {
  const v5 = core.protocolVersion === ProtocolVersion.MQTT_5_0;
  const topic = core.resolveInboundTopic(packet);
  if (topic === undefined) return; // the connection was closed for a protocol error
  const id = packet.messageId ?? 0;
  const qos = packet.qos;
  if (qos === 2 && core.session.incomingQos2.has(id)) {
    core.conn?.send({ cmd: 'pubrec', messageId: id });
    return;
  }
  if (qos === 2 && v5 && core.session.incomingQos2.size >= core.ownReceiveMaximum) {
    // [MQTT-3.3.4-9] the server sent more unacknowledged QoS 2 messages than our Receive Maximum
    return core.protocolViolation(
      `The broker exceeded our Receive Maximum ${core.ownReceiveMaximum}`,
      ReasonCode.ReceiveMaximumExceeded,
    );
  }
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  const props = v5 && packet.properties ? publishPropertiesFromWire(packet.properties) : undefined;
  const message = new QMqttMessage(topic, payload, id, qos, packet.dup, packet.retain, props);
  if (qos === 2) {
    core.session.incomingQos2.add(id);
    core.session.store.putIncomingQos2(id);
  }
  const host = core.host;
  if (host.messageReceived.listenerCount > 0) host.messageReceived.emit(payload, new QMqttTopicName(topic));
  if (host.messageArrived.listenerCount > 0) host.messageArrived.emit(message);
  core.subscriptions.deliver(topic, message);
  if (qos > 0) {
    if (host.messageStatusChanged.listenerCount > 0)
      host.messageStatusChanged.emit(
        id,
        MessageStatus.Published,
        messageStatusPropertiesFromWire(ReasonCode.Success, packet.properties),
      );
    core.conn?.send({ cmd: qos === 1 ? 'puback' : 'pubrec', messageId: id });
  }
}

/** Incoming PUBREL: forget the id and answer PUBCOMP (v5: 0x92 if we never had it) [MQTT-4.3.3-11]. */
export function handlePubrel(core: ClientCore, packet: PubrelPacket): void {
  const id = packet.messageId!;
  const known = core.session.incomingQos2.delete(id);
  if (known) {
    core.session.store.deleteIncomingQos2(id);
    if (core.host.messageStatusChanged.listenerCount > 0)
      core.host.messageStatusChanged.emit(
        id,
        MessageStatus.Released,
        messageStatusPropertiesFromWire(packet.reasonCode ?? 0, packet.properties),
      );
  }
  if (!known && core.protocolVersion === ProtocolVersion.MQTT_5_0)
    core.conn?.send({ cmd: 'pubcomp', messageId: id, reasonCode: ReasonCode.MessageIdNotFound });
  else core.conn?.send({ cmd: 'pubcomp', messageId: id });
}
