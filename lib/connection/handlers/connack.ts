import type { ConnackPacket } from '../../packet/codec';
import { QMqttError } from '../../errors';
import {
  authPropertiesFromWire,
  connackPropertiesProblem,
  serverPropertiesFromConnack,
} from '../../properties';
import {
  clientErrorFromV3ReturnCode,
  clientErrorFromV5ConnackReason,
  ReasonCode,
  v3ReturnCodeName,
} from '../../reason-codes';
import { ProtocolVersion } from '../../state';
import type { ClientCore } from '../../core/client-core';

/** CONNACK (§3.2): accept the connection or report the broker's refusal as Qt's ClientError. */
export function handleConnack(core: ClientCore, packet: ConnackPacket): void {
  const v5 = core.protocolVersion === ProtocolVersion.MQTT_5_0;
  const rc = (v5 ? packet.reasonCode : packet.returnCode) ?? 0;
  if (v5) {
    const problem = connackPropertiesProblem(packet.properties);
    if (problem) return core.protocolViolation(`Invalid CONNACK: ${problem}`, ReasonCode.ProtocolError);
    const props = serverPropertiesFromConnack(packet.properties, rc);
    core.host.applyServerConnectionProperties(props);
    core.applyServerLimits(props);
  }
  if (rc !== 0 && packet.sessionPresent) {
    // [MQTT-3.2.2-4] (3.1.1) / [MQTT-3.2.2-6] (5.0): a refusal carries Session Present 0
    return core.protocolViolation('CONNACK refusal with Session Present 1', ReasonCode.ProtocolError);
  }
  if (rc !== 0) {
    const error = v5 ? clientErrorFromV5ConnackReason(rc) : clientErrorFromV3ReturnCode(rc);
    const refusal = new QMqttError(
      'The broker refused the connection',
      error,
      rc,
      packet.properties?.reasonString,
    );
    // 3.x return codes are not MQTT 5 reason codes: name them in their own words
    if (!v5) refusal.message = `The broker refused the connection: ${v3ReturnCodeName(rc)}`;
    core.closeWith(refusal, packet.properties?.serverReference);
    return;
  }
  if (packet.sessionPresent && core.cleanSessionRequested) {
    // [MQTT-3.2.2-1] (3.1.1) / [MQTT-3.2.2-2] (5.0): with Clean Session / Clean Start 1, Session Present is 0
    return core.protocolViolation(
      'CONNACK Session Present 1 in answer to Clean Session 1',
      ReasonCode.ProtocolError,
    );
  }
  if (v5 && (packet.properties?.authenticationMethod ?? '') !== core.authenticationMethod) {
    // §4.12: the CONNACK of an enhanced authentication names the same method; without one, none
    return core.protocolViolation(
      `CONNACK with Authentication Method ${JSON.stringify(packet.properties?.authenticationMethod ?? '')}, CONNECT had ${JSON.stringify(core.authenticationMethod)}`,
      ReasonCode.ProtocolError,
    );
  }
  const assigned = packet.properties?.assignedClientIdentifier;
  if (v5 && assigned) core.host.applyAssignedClientId(assigned);
  if (v5 && core.authenticationMethod) {
    // enhanced authentication ended with success (§4.12): Qt emits authenticationFinished, then connected
    core.host.authenticationFinished.emit(authPropertiesFromWire(packet.properties));
  }
  core.onConnected(packet.sessionPresent);
}
