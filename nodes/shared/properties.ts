/**
 * Client properties a flow may set at run time (`qmqtt-status`, `msg.action: "set"`). They take effect on the
 * next connect, as Qt's setters do. Unknown names and wrong types are rejected before anything is changed.
 */
import { QMqttClient } from '../../lib';

type Setter = (c: QMqttClient, v: unknown) => void;

function typed<T>(
  kind: 'string' | 'number' | 'boolean',
  name: string,
  set: (c: QMqttClient, v: T) => void,
): Setter {
  return (c, v) => {
    if (typeof v !== kind) throw new TypeError(`${name} must be a ${kind}, got ${typeof v}`);
    set(c, v as T);
  };
}

const SETTERS: Record<string, Setter> = {
  hostname: typed<string>('string', 'hostname', (c, v) => c.setHostname(v)),
  port: typed<number>('number', 'port', (c, v) => c.setPort(v)),
  clientId: typed<string>('string', 'clientId', (c, v) => c.setClientId(v)),
  username: typed<string>('string', 'username', (c, v) => c.setUsername(v)),
  password: typed<string>('string', 'password', (c, v) => c.setPassword(v)),
  keepAlive: typed<number>('number', 'keepAlive', (c, v) => c.setKeepAlive(v)),
  autoKeepAlive: typed<boolean>('boolean', 'autoKeepAlive', (c, v) => c.setAutoKeepAlive(v)),
  cleanSession: typed<boolean>('boolean', 'cleanSession', (c, v) => c.setCleanSession(v)),
  protocolVersion: typed<number>('number', 'protocolVersion', (c, v) => {
    if (v !== 3 && v !== 4 && v !== 5) throw new RangeError(`protocolVersion must be 3, 4 or 5, got ${v}`);
    c.setProtocolVersion(v);
  }),
  willTopic: typed<string>('string', 'willTopic', (c, v) => c.setWillTopic(v)),
  willMessage: (c, v) => {
    if (typeof v !== 'string' && !Buffer.isBuffer(v))
      throw new TypeError(`willMessage must be a string or a Buffer, got ${typeof v}`);
    c.setWillMessage(v);
  },
  willQoS: typed<number>('number', 'willQoS', (c, v) => c.setWillQoS(v)),
  willRetain: typed<boolean>('boolean', 'willRetain', (c, v) => c.setWillRetain(v)),
  autoReconnect: typed<boolean>('boolean', 'autoReconnect', (c, v) => c.setAutoReconnect(v)),
  reconnectDelay: typed<number>('number', 'reconnectDelay', (c, v) => c.setReconnectDelay(v)),
  maxReconnectDelay: typed<number>('number', 'maxReconnectDelay', (c, v) => c.setMaxReconnectDelay(v)),
  maxInflight: typed<number>('number', 'maxInflight', (c, v) => c.setMaxInflight(v)),
  tcpQuickAck: typed<boolean>('boolean', 'tcpQuickAck', (c, v) => c.setTcpQuickAck(v)),
};

/** The names `msg.action: "set"` accepts. */
export const SETTABLE_PROPERTIES: readonly string[] = Object.keys(SETTERS);

export type ClientPropertyValues = Record<string, unknown>;

/**
 * Checks `values` (a plain object of property name → value) by applying them to a scratch client; throws a
 * TypeError / RangeError naming the first bad entry. Returns a copy.
 */
export function validateProperties(values: unknown): ClientPropertyValues {
  if (typeof values !== 'object' || values === null || Array.isArray(values) || Buffer.isBuffer(values))
    throw new TypeError('msg.payload must be an object of client property names and values');
  const scratch = new QMqttClient();
  const out: ClientPropertyValues = {};
  for (const [k, v] of Object.entries(values)) {
    const set = SETTERS[k];
    if (!set)
      throw new TypeError(`unknown client property "${k}"; settable: ${SETTABLE_PROPERTIES.join(', ')}`);
    set(scratch, v);
    out[k] = v;
  }
  return out;
}

/** Applies validated values (the client must be Disconnected for Qt's setters to take effect). */
export function applyProperties(client: QMqttClient, values: ClientPropertyValues): void {
  for (const [k, v] of Object.entries(values)) SETTERS[k]?.(client, v);
}
