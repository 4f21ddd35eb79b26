import type { Packet } from '../packet/codec';
import { ReasonCode } from '../reason-codes';
import { ProtocolVersion } from '../state';
import type { ClientCore } from '../core/client-core';
import { handlePublish, handlePubrel } from './handlers/publish';
import { handleConnack } from './handlers/connack';
import { handleAuth, handleServerDisconnect } from './handlers/control';

/**
 * Routes one packet from the broker to its handler, after checking that it may arrive now. Anything a server
 * may not send, or may not send yet, closes the connection as a protocol violation.
 */
export function dispatch(core: ClientCore, packet: Packet): void {
  const v5 = core.protocolVersion === ProtocolVersion.MQTT_5_0;
  if (!core.isConnected) {
    // [MQTT-3.2.0-1] the first packet from the server is CONNACK (v5: or AUTH during enhanced authentication)
    if (packet.cmd === 'connack') return handleConnack(core, packet);
    if (packet.cmd === 'auth' && v5) return handleAuth(core, packet);
    return core.protocolViolation(
      `Received ${packet.cmd.toUpperCase()} before CONNACK`,
      ReasonCode.ProtocolError,
    );
  }
  switch (packet.cmd) {
    case 'publish':
      return handlePublish(core, packet);
    case 'puback':
      return core.outbox.onPuback(packet);
    case 'pubrec':
      return core.outbox.onPubrec(packet);
    case 'pubrel':
      return handlePubrel(core, packet);
    case 'pubcomp':
      return core.outbox.onPubcomp(packet);
    case 'suback':
      return core.subscriber.onSuback(packet);
    case 'unsuback':
      return core.subscriber.onUnsuback(packet);
    case 'pingresp':
      return core.onPingResponse();
    case 'disconnect':
      // [MQTT-3.14] a server DISCONNECT exists only in MQTT 5
      if (v5) return handleServerDisconnect(core, packet);
      return core.protocolViolation('Received DISCONNECT from a 3.1.1 server', ReasonCode.ProtocolError);
    case 'auth':
      if (v5) return handleAuth(core, packet);
      return core.protocolViolation('Received AUTH under MQTT 3.1.1', ReasonCode.ProtocolError);
    case 'connack':
      // [MQTT-3.2.0-2] the server sends CONNACK once
      return core.protocolViolation('Received a second CONNACK', ReasonCode.ProtocolError);
    default:
      // CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ only travel client → server
      return core.protocolViolation(
        `A server may not send ${packet.cmd.toUpperCase()}`,
        ReasonCode.ProtocolError,
      );
  }
}
