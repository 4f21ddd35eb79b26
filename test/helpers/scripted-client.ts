import { QMqttClient, type QMqttClientOptions } from '../../lib/client';
import { TransportType } from '../../lib/state';
import { ScriptedBroker } from './scripted-broker';

/** A client wired to a fresh scripted broker (not yet connected). */
export function scripted(
  version: 3 | 4 | 5 = 4,
  options: QMqttClientOptions = {},
): { client: QMqttClient; broker: ScriptedBroker; reconnect(): ScriptedBroker } {
  const client = new QMqttClient(options);
  client.setProtocolVersion(version);
  client.setClientId('scripted');
  let broker = new ScriptedBroker(version);
  client.setTransport(broker.clientSide, TransportType.IODevice);
  return {
    client,
    get broker() {
      return broker;
    },
    reconnect() {
      broker = new ScriptedBroker(version);
      client.setTransport(broker.clientSide, TransportType.IODevice);
      return broker;
    },
  };
}

/** A client connected to a scripted broker. */
export async function connectedScripted(
  version: 3 | 4 | 5 = 4,
  options: QMqttClientOptions = {},
  sessionPresent = false,
): Promise<ReturnType<typeof scripted>> {
  const s = scripted(version, options);
  const done = s.client.connectToHostAsync();
  await s.broker.acceptConnect(sessionPresent);
  await done;
  return s;
}

/**
 * The network drops the connection; the client connects again to a new scripted broker, which answers CONNACK
 * with `sessionPresent`. Returns that broker.
 */
export async function dropAndReconnect(
  s: ReturnType<typeof scripted>,
  sessionPresent: boolean,
): Promise<ScriptedBroker> {
  s.broker.drop();
  await tick(5);
  const broker2 = s.reconnect();
  const done = s.client.connectToHostAsync();
  await broker2.acceptConnect(sessionPresent);
  await done;
  return broker2;
}

/** Lets queued microtasks and I/O callbacks run. */
export function tick(ms = 0): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
