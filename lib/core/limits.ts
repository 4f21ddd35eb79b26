/**
 * What a server's CONNACK forbids the client to send (MQTT 5.0 §3.2.2.3): checked when a request is made, and
 * again for requests queued before a CONNACK, which may announce other limits than the connection before.
 */
import { QMqttError, QMqttInvalidArgumentError } from '../errors';
import type { PublishPacket, SubscribePacket } from '../packet/codec';
import { publishPacketSize, subscribePacketSize } from '../packet/size';
import { unsupportedSubscription, type QMqttServerConnectionProperties } from '../properties';
import type { QMqttSubscriptionProperties } from '../properties';
import { ReasonCode } from '../reason-codes';
import { ClientError } from '../state';
import type { QMqttTopicFilter } from '../topic/topic-filter';

/** The server's Maximum Packet Size, or 0 for none (§3.2.2.3.6). */
export function maximumPacketSize(server: QMqttServerConnectionProperties): number {
  const max = server.maximumPacketSize();
  return max > 0 && max < 0xffffffff ? max : 0;
}

/** Why this PUBLISH must not be sent to `server`, or undefined. Nothing goes on the wire then. */
export function publishOverLimits(
  packet: PublishPacket,
  server: QMqttServerConnectionProperties,
): QMqttError | undefined {
  if (packet.qos > server.maximumQoS())
    return new QMqttError(
      `Cannot publish at QoS ${packet.qos}: the broker's Maximum QoS is ${server.maximumQoS()} [MQTT-3.2.2-11]`,
      ClientError.NoError,
      ReasonCode.QoSNotSupported,
    );
  if (packet.retain && !server.retainAvailable())
    return new QMqttError(
      'Cannot publish a retained message: the broker does not support retain [MQTT-3.2.2-14]',
      ClientError.NoError,
      ReasonCode.RetainNotSupported,
    );
  const alias = packet.properties?.topicAlias;
  if (alias !== undefined && alias > server.maximumTopicAlias())
    return new QMqttInvalidArgumentError(
      `Cannot publish: topic alias ${alias} exceeds the server's Topic Alias Maximum ${server.maximumTopicAlias()} [MQTT-3.3.2-9]`,
    );
  const max = maximumPacketSize(server);
  if (max > 0) {
    const size = publishPacketSize(packet, true);
    if (size > max)
      return new QMqttError(
        `Cannot publish ${size} bytes: the broker's Maximum Packet Size is ${max} [MQTT-3.2.2-15]`,
        ClientError.NoError,
        ReasonCode.PacketTooLarge,
      );
  }
  return undefined;
}

/** Why subscribing to `filter` with this SUBSCRIBE must not be done at `server`, or undefined. */
export function subscribeOverLimits(
  filter: QMqttTopicFilter,
  properties: QMqttSubscriptionProperties | undefined,
  packet: SubscribePacket,
  server: QMqttServerConnectionProperties,
): QMqttError | undefined {
  const unsupported = unsupportedSubscription(filter, properties, server);
  if (unsupported)
    return new QMqttError(`Cannot subscribe: ${unsupported[0]}`, ClientError.NoError, unsupported[1]);
  const max = maximumPacketSize(server);
  if (max > 0) {
    const size = subscribePacketSize(packet, true);
    if (size > max)
      return new QMqttError(
        `Cannot subscribe to "${filter.filter()}": the SUBSCRIBE is ${size} bytes, the broker's Maximum Packet Size is ${max} [MQTT-3.2.2-15]`,
        ClientError.NoError,
        ReasonCode.PacketTooLarge,
      );
  }
  return undefined;
}
