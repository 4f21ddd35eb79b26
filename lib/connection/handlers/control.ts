import type { AuthPacket, DisconnectPacket } from '../../packet/codec';
import { QMqttError } from '../../errors';
import { authPropertiesFromWire } from '../../properties';
import { ReasonCode } from '../../reason-codes';
import { ClientError } from '../../state';
import type { ClientCore } from '../../core/client-core';

/** MQTT 5 server DISCONNECT (§3.14): close with the reason surfaced as a typed error. */
export function handleServerDisconnect(core: ClientCore, packet: DisconnectPacket): void {
  const rc = packet.reasonCode ?? 0;
  const reason = packet.properties?.reasonString;
  core.closeWith(
    new QMqttError(
      'The broker disconnected',
      rc === 0 ? ClientError.NoError : ClientError.Mqtt5SpecificError,
      rc,
      reason,
    ),
    packet.properties?.serverReference,
  );
}

/** MQTT 5 AUTH (§3.15, §4.12): hand the broker's challenge to the application. */
export function handleAuth(core: ClientCore, packet: AuthPacket): void {
  const rc = packet.reasonCode ?? 0;
  // [MQTT-4.12.0-5] / §4.12: AUTH only in an exchange the client started, with the method of its CONNECT
  if (!core.authenticationMethod)
    return core.protocolViolation(
      'AUTH from the broker although CONNECT had no Authentication Method',
      ReasonCode.ProtocolError,
    );
  if (packet.properties?.authenticationMethod !== core.authenticationMethod)
    return core.protocolViolation(
      `AUTH with Authentication Method ${JSON.stringify(packet.properties?.authenticationMethod ?? '')}, CONNECT had ${JSON.stringify(core.authenticationMethod)}`,
      ReasonCode.ProtocolError,
    );
  const props = authPropertiesFromWire(packet.properties);
  if (rc === ReasonCode.ContinueAuthentication) {
    core.host.authenticationRequested.emit(props);
    return;
  }
  if (rc === ReasonCode.Success && core.isConnected) {
    // re-authentication finished [MQTT-4.12.1]
    core.host.authenticationFinished.emit(props);
    return;
  }
  core.protocolViolation(`Unexpected AUTH with ${rc}`, ReasonCode.ProtocolError);
}
