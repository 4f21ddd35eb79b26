import type { ConnackPacket } from '../../packet/codec';
import { QMqttError } from '../../errors';
import { serverPropertiesFromConnack } from '../../properties';
import { clientErrorFromV3ReturnCode, clientErrorFromV5ConnackReason } from '../../reason-codes';
import { ProtocolVersion } from '../../state';
import type { ClientCore } from '../../core/client-core';

/** CONNACK (§3.2): accept the connection or report the broker's refusal as Qt's ClientError. */
export function handleConnack(core: ClientCore, packet: ConnackPacket): void {
  const v5 = core.protocolVersion === ProtocolVersion.MQTT_5_0;
  const rc = (v5 ? packet.reasonCode : packet.returnCode) ?? 0;
  if (v5) {
    const props = serverPropertiesFromConnack(packet.properties, rc);
    core.host.applyServerConnectionProperties(props);
    core.applyServerLimits(props);
  }
  if (rc !== 0) {
    const error = v5 ? clientErrorFromV5ConnackReason(rc) : clientErrorFromV3ReturnCode(rc);
    core.closeWith(
      new QMqttError('The broker refused the connection', error, rc, packet.properties?.reasonString),
      packet.properties?.serverReference,
    );
    return;
  }
  const assigned = packet.properties?.assignedClientIdentifier;
  if (v5 && assigned) core.host.applyAssignedClientId(assigned);
  core.onConnected(packet.sessionPresent);
}
