/**
 * Typed configuration of each node: the raw shape as Node-RED saves it in the flow (names follow the core MQTT
 * nodes where users know them) and the normalised, validated shape the runtime uses. Parsing throws an Error
 * whose message names the offending field.
 */
import type { NodeDef } from './node-red-types';

export type Transport = 'tcp' | 'tls' | 'ws' | 'wss';
export type QoS = 0 | 1 | 2;
export type UserPropertyMap = Record<string, string | string[]>;

/** MQTT 5 extras of a will / birth / close message; names as in core's `willMsg` / `birthMsg` / `closeMsg`. */
export interface V5MessageOptionsRaw {
  contentType?: string;
  userProps?: string;
  respTopic?: string;
  correl?: string;
  expiry?: string | number;
  /** Will only: Will Delay Interval in seconds. */
  delay?: string | number;
}

export interface PresetMessage {
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
  contentType: string;
  userProperties: UserPropertyMap;
  responseTopic: string;
  correlationData: string;
  messageExpiryInterval: number | undefined;
  willDelayInterval: number | undefined;
}

export function toBool(v: unknown, fallback: boolean): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return fallback;
}

/** An integer from a number or numeric string; `fallback` for empty / missing; throws when out of range. */
export function toInt(v: unknown, field: string, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

export function toOptionalInt(v: unknown, field: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return toInt(v, field, 0, min, max);
}

export function toQos(v: unknown, field: string, fallback: QoS): QoS {
  return toInt(v, field, fallback, 0, 2) as QoS;
}

export function toStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** User properties from a JSON object text (`{"name":"value"}`, values may be arrays); '' means none. */
export function parseUserProps(text: unknown, field: string): UserPropertyMap {
  const s = toStr(text).trim();
  if (!s) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    throw new Error(`${field} is not valid JSON: ${(e as Error).message}`);
  }
  return checkUserProperties(parsed, field);
}

/** Checks a user-properties object: string values, or arrays of strings (repeated names). */
export function checkUserProperties(value: unknown, field: string): UserPropertyMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${field} must be an object of name: value pairs`);
  const out: UserPropertyMap = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = [...v];
    else throw new Error(`${field}.${k} must be a string or an array of strings`);
  }
  return out;
}

// ---- qmqtt-broker ----------------------------------------------------------------------------------------

export interface BrokerConfigRaw extends NodeDef {
  configVersion?: number;
  broker?: string;
  port?: number | string;
  transport?: string;
  wsPath?: string;
  tls?: string;
  servers?: string;
  clientid?: string;
  autoConnect?: boolean | string;
  protocolVersion?: number | string;
  keepalive?: number | string;
  autoKeepAlive?: boolean | string;
  cleansession?: boolean | string;
  persistSession?: boolean | string;
  sessionExpiry?: number | string;
  receiveMaximum?: number | string;
  maximumPacketSize?: number | string;
  topicAliasMaximum?: number | string;
  requestResponseInformation?: boolean | string;
  requestProblemInformation?: boolean | string;
  userProps?: string;
  authMethod?: string;
  autoReconnect?: boolean | string;
  reconnectDelay?: number | string;
  maxReconnectDelay?: number | string;
  maxInflight?: number | string;
  tcpQuickAck?: boolean | string;
  offlineQueueMessages?: number | string;
  offlineQueueBytes?: number | string;
  connectTimeout?: number | string;
  willTopic?: string;
  willQos?: number | string;
  willRetain?: boolean | string;
  willPayload?: string;
  willMsg?: V5MessageOptionsRaw;
  birthTopic?: string;
  birthQos?: number | string;
  birthRetain?: boolean | string;
  birthPayload?: string;
  birthMsg?: V5MessageOptionsRaw;
  closeTopic?: string;
  closeQos?: number | string;
  closeRetain?: boolean | string;
  closePayload?: string;
  closeMsg?: V5MessageOptionsRaw;
  /** Legacy (core mqtt-broker), read by the migration only. */
  usetls?: boolean | string;
  compatmode?: boolean | string;
}

export interface BrokerCredentials {
  user: string;
  password: string;
}

export interface BrokerConfig {
  name: string;
  host: string;
  port: number;
  transport: Transport;
  wsPath: string;
  tlsConfigId: string;
  servers: string[];
  clientId: string;
  autoConnect: boolean;
  protocolVersion: 3 | 4 | 5;
  keepAlive: number;
  autoKeepAlive: boolean;
  cleanSession: boolean;
  /** Keep the client's session (messages queued or in flight) in a file, so a restart of Node-RED loses none. */
  persistSession: boolean;
  sessionExpiry: number;
  receiveMaximum: number;
  maximumPacketSize: number;
  topicAliasMaximum: number;
  requestResponseInformation: boolean;
  requestProblemInformation: boolean;
  userProperties: UserPropertyMap;
  authMethod: string;
  autoReconnect: boolean;
  reconnectDelay: number;
  maxReconnectDelay: number;
  /** QoS 1/2 messages in flight at most; undefined: the client's default (QMqttClient.maxInflight). */
  maxInflight: number | undefined;
  /** TCP_QUICKACK for the broker's answers (QMqttClient.setTcpQuickAck; Linux). */
  tcpQuickAck: boolean;
  /** Limits of the queue of publishes made while not connected (QMqttClient.setOfflineQueueLimits). */
  offlineQueueMessages: number;
  offlineQueueBytes: number;
  connectTimeout: number;
  will: PresetMessage | undefined;
  birth: PresetMessage | undefined;
  close: PresetMessage | undefined;
}

const DEFAULT_PORTS: Record<Transport, number> = { tcp: 1883, tls: 8883, ws: 80, wss: 443 };

function presetMessage(
  raw: BrokerConfigRaw,
  kind: 'will' | 'birth' | 'close',
  v5: boolean,
): PresetMessage | undefined {
  const topic = toStr(raw[`${kind}Topic`]).trim();
  if (!topic) return undefined;
  const o: V5MessageOptionsRaw = (v5 && raw[`${kind}Msg`]) || {};
  return {
    topic,
    payload: toStr(raw[`${kind}Payload`]),
    qos: toQos(raw[`${kind}Qos`], `${kind}Qos`, 0),
    retain: toBool(raw[`${kind}Retain`], false),
    contentType: toStr(o.contentType),
    userProperties: parseUserProps(o.userProps, `${kind}Msg.userProps`),
    responseTopic: toStr(o.respTopic),
    correlationData: toStr(o.correl),
    messageExpiryInterval: toOptionalInt(o.expiry, `${kind}Msg.expiry`, 0, 0xffffffff),
    willDelayInterval: kind === 'will' ? toOptionalInt(o.delay, 'willMsg.delay', 0, 0xffffffff) : undefined,
  };
}

/** Normalises a migrated broker configuration; throws on an invalid field. */
export function parseBrokerConfig(raw: BrokerConfigRaw): BrokerConfig {
  const t = toStr(raw.transport) || 'tcp';
  if (t !== 'tcp' && t !== 'tls' && t !== 'ws' && t !== 'wss')
    throw new Error(`transport must be tcp, tls, ws or wss, got ${JSON.stringify(raw.transport)}`);
  const protocolVersion = toInt(raw.protocolVersion, 'protocolVersion', 4, 3, 5) as 3 | 4 | 5;
  const v5 = protocolVersion === 5;
  const servers = toStr(raw.servers)
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    name: toStr(raw.name),
    host: toStr(raw.broker).trim(),
    port: toInt(raw.port, 'port', DEFAULT_PORTS[t], 0, 65535) || DEFAULT_PORTS[t],
    transport: t,
    wsPath: toStr(raw.wsPath).trim() || '/mqtt',
    tlsConfigId: toStr(raw.tls),
    servers,
    clientId: toStr(raw.clientid).trim(),
    autoConnect: toBool(raw.autoConnect, true),
    protocolVersion,
    keepAlive: toInt(raw.keepalive, 'keepalive', 60, 0, 65535),
    autoKeepAlive: toBool(raw.autoKeepAlive, true),
    cleanSession: toBool(raw.cleansession, true),
    persistSession: toBool(raw.persistSession, false),
    sessionExpiry: v5 ? toInt(raw.sessionExpiry, 'sessionExpiry', 0, 0, 0xffffffff) : 0,
    receiveMaximum: v5 ? toInt(raw.receiveMaximum, 'receiveMaximum', 65535, 1, 65535) : 65535,
    maximumPacketSize: v5
      ? toInt(raw.maximumPacketSize, 'maximumPacketSize', 0xffffffff, 1, 0xffffffff)
      : 0xffffffff,
    topicAliasMaximum: v5 ? toInt(raw.topicAliasMaximum, 'topicAliasMaximum', 0, 0, 65535) : 0,
    requestResponseInformation: v5 && toBool(raw.requestResponseInformation, false),
    requestProblemInformation: !v5 || toBool(raw.requestProblemInformation, true),
    userProperties: v5 ? parseUserProps(raw.userProps, 'userProps') : {},
    authMethod: v5 ? toStr(raw.authMethod).trim() : '',
    autoReconnect: toBool(raw.autoReconnect, true),
    reconnectDelay: toInt(raw.reconnectDelay, 'reconnectDelay', 1000, 0, 86_400_000),
    maxReconnectDelay: toInt(raw.maxReconnectDelay, 'maxReconnectDelay', 60_000, 0, 86_400_000),
    maxInflight: toOptionalInt(raw.maxInflight, 'maxInflight', 1, 65_535),
    tcpQuickAck: toBool(raw.tcpQuickAck, true),
    offlineQueueMessages: toInt(raw.offlineQueueMessages, 'offlineQueueMessages', 1000, 0, 1_000_000_000),
    offlineQueueBytes: toInt(
      raw.offlineQueueBytes,
      'offlineQueueBytes',
      16_777_216,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    connectTimeout: toInt(raw.connectTimeout, 'connectTimeout', 30_000, 1, 3_600_000),
    will: presetMessage(raw, 'will', v5),
    birth: presetMessage(raw, 'birth', v5),
    close: presetMessage(raw, 'close', v5),
  };
}

// ---- qmqtt-in --------------------------------------------------------------------------------------------

export type Datatype = 'auto-detect' | 'auto' | 'utf8' | 'buffer' | 'json' | 'base64';
export const DATATYPES: readonly Datatype[] = ['auto-detect', 'auto', 'utf8', 'buffer', 'json', 'base64'];

export interface InConfigRaw extends NodeDef {
  configVersion?: number;
  broker?: string;
  topic?: string;
  qos?: number | string;
  datatype?: string;
  nl?: boolean | string;
  rap?: boolean | string;
  rh?: number | string;
  subscriptionIdentifier?: number | string;
  inputs?: number | string;
}

export interface SubscriptionOptions {
  qos: QoS;
  nl: boolean;
  rap: boolean;
  rh: 0 | 1 | 2;
  subscriptionIdentifier: number;
}

export interface InConfig extends SubscriptionOptions {
  brokerId: string;
  topic: string;
  datatype: Datatype;
  dynamic: boolean;
}

export function toDatatype(v: unknown, field: string, fallback: Datatype): Datatype {
  if (v === undefined || v === null || v === '') return fallback;
  if ((DATATYPES as readonly unknown[]).includes(v)) return v as Datatype;
  throw new Error(`${field} must be one of ${DATATYPES.join(', ')}, got ${JSON.stringify(v)}`);
}

export function parseInConfig(raw: InConfigRaw): InConfig {
  return {
    brokerId: toStr(raw.broker),
    topic: toStr(raw.topic).trim(),
    qos: toQos(raw.qos, 'qos', 2),
    datatype: toDatatype(raw.datatype, 'datatype', 'auto-detect'),
    nl: toBool(raw.nl, false),
    rap: toBool(raw.rap, true),
    rh: toInt(raw.rh, 'rh', 0, 0, 2) as 0 | 1 | 2,
    subscriptionIdentifier: toInt(raw.subscriptionIdentifier, 'subscriptionIdentifier', 0, 0, 268_435_455),
    dynamic: toInt(raw.inputs, 'inputs', 0, 0, 1) === 1,
  };
}

// ---- qmqtt-out -------------------------------------------------------------------------------------------

export interface OutConfigRaw extends NodeDef {
  configVersion?: number;
  broker?: string;
  topic?: string;
  qos?: number | string;
  retain?: boolean | string;
  respTopic?: string;
  correl?: string;
  contentType?: string;
  userProps?: string;
  expiry?: number | string;
}

export interface OutConfig {
  brokerId: string;
  topic: string;
  qos: QoS | undefined;
  retain: boolean | undefined;
  responseTopic: string;
  correlationData: string;
  contentType: string;
  userProperties: UserPropertyMap | undefined;
  messageExpiryInterval: number | undefined;
}

export function parseOutConfig(raw: OutConfigRaw): OutConfig {
  const props = parseUserProps(raw.userProps, 'userProps');
  return {
    brokerId: toStr(raw.broker),
    topic: toStr(raw.topic).trim(),
    qos: raw.qos === '' || raw.qos === undefined ? undefined : toQos(raw.qos, 'qos', 0),
    retain: raw.retain === '' || raw.retain === undefined ? undefined : toBool(raw.retain, false),
    responseTopic: toStr(raw.respTopic).trim(),
    correlationData: toStr(raw.correl),
    contentType: toStr(raw.contentType).trim(),
    userProperties: Object.keys(props).length ? props : undefined,
    messageExpiryInterval: toOptionalInt(raw.expiry, 'expiry', 0, 0xffffffff),
  };
}

// ---- qmqtt-auth / qmqtt-status ---------------------------------------------------------------------------

export interface AuthConfigRaw extends NodeDef {
  configVersion?: number;
  broker?: string;
}

export interface StatusConfigRaw extends NodeDef {
  configVersion?: number;
  broker?: string;
  /** Signal names to pass on; empty or missing = the default set. */
  signals?: string[] | string;
}
