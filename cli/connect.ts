/**
 * From options to a connected `QMqttClient`, through the library's public API only: setters, the
 * `connectToHost…Async` calls and the signals. Everything that can be checked before connecting is checked here.
 */
import { readFileSync } from 'node:fs';
import {
  ClientError,
  ClientState,
  ProtocolVersion,
  QMqttClient,
  QMqttError,
  parseServerUrl,
  validateTopicName,
  type SslConfiguration,
} from '../lib';
import { CliError, ExitCode, UsageError, oneLine } from './errors';
import type { Options } from './options';

export type TransportKind = 'tcp' | 'tls' | 'ws' | 'wss';

/** Where and how to connect, resolved from -L, -h, -p and the TLS flags. */
export interface Target {
  transport: TransportKind;
  host: string;
  port: number;
  /** WebSocket request path. */
  path: string;
  tls: SslConfiguration | undefined;
  /** "mqtt://host:port" etc., for messages. */
  label: string;
}

const DEFAULT_PORT: Record<TransportKind, number> = { tcp: 1883, tls: 8883, ws: 80, wss: 443 };
const PROTOCOL_NAME: Record<ProtocolVersion, string> = { 3: '3.1', 4: '3.1.1', 5: '5' };
const SCHEME: Record<TransportKind, string> = { tcp: 'mqtt', tls: 'mqtts', ws: 'ws', wss: 'wss' };

function readPem(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(
      `${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? oneLine(err)}`,
    );
  }
}

/**
 * Checks the combination of options (what a single flag cannot check) and resolves the target. Reads the TLS
 * files, so that a missing file is a usage error before anything is sent.
 */
export function resolveTarget(o: Options): Target {
  let transport: TransportKind = 'tcp';
  let host = 'localhost';
  let port: number | undefined;
  let path = '/mqtt';
  if (o.url !== undefined) {
    let addr;
    try {
      addr = parseServerUrl(o.url);
    } catch (err) {
      throw new UsageError(`-L: ${oneLine(err)}`);
    }
    const scheme = new URL(o.url).protocol;
    transport =
      scheme === 'ws:' ? 'ws' : scheme === 'wss:' ? 'wss' : /^(mqtts|ssl|tls):$/.test(scheme) ? 'tls' : 'tcp';
    host = addr.host;
    port = addr.port;
    if (addr.username !== undefined) o.username ??= addr.username;
    if (addr.password !== undefined) o.password ??= addr.password;
    if (transport === 'ws' || transport === 'wss') path = addr.path;
    else {
      // mosquitto: mqtt(s)://[user[:password]@]host[:port]/topic
      const topic = decodeURIComponent(new URL(o.url).pathname.replace(/^\//, ''));
      if (topic && o.topics.length === 0) o.topics.push(topic);
    }
  }
  if (o.host !== undefined) host = o.host;
  if (o.port !== undefined) port = o.port;
  const wantsTls = o.cafile !== undefined || o.cert !== undefined || o.key !== undefined || o.insecure;
  if (wantsTls && transport === 'tcp') transport = 'tls';
  if (wantsTls && transport === 'ws') transport = 'wss';
  if ((o.cert === undefined) !== (o.key === undefined))
    throw new UsageError('--cert and --key go together: give both or neither');
  let tls: SslConfiguration | undefined;
  if (transport === 'tls' || transport === 'wss') {
    tls = {};
    if (o.cafile !== undefined) tls.ca = readPem('--cafile', o.cafile);
    if (o.cert !== undefined) tls.cert = readPem('--cert', o.cert);
    if (o.key !== undefined) tls.key = readPem('--key', o.key);
    // mosquitto's --insecure skips the host name check only; the chain is still verified against the CA
    if (o.insecure) tls.checkServerIdentity = () => undefined;
  }
  port ??= DEFAULT_PORT[transport];
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const label = `${SCHEME[transport]}://${shownHost}:${port}${transport === 'ws' || transport === 'wss' ? path : ''}`;
  return { transport, host, port, path, tls, label };
}

/** Checks that need the whole command line; throws a usage error. */
export function checkCommon(o: Options): void {
  const v5 = o.protocol === ProtocolVersion.MQTT_5_0;
  if (!v5 && o.propertyCommands.size > 0) throw new UsageError('-D properties are MQTT 5 only: add -V 5');
  if (!v5 && o.sessionExpiry !== undefined) throw new UsageError('-x is MQTT 5 only: add -V 5');
  if (!o.cleanSession && o.clientId === undefined && o.clientIdPrefix === undefined)
    throw new UsageError('-c needs a client id (-i or -I): a persistent session is found by its id');
  if (o.clientId !== undefined && o.clientIdPrefix !== undefined)
    throw new UsageError('give -i or -I, not both');
  if (o.willTopic !== undefined) {
    const problem = validateTopicName(o.willTopic);
    if (problem) throw new UsageError(`--will-topic: ${problem}`);
  } else if (
    o.willPayload !== undefined ||
    o.willRetain ||
    o.given.has('--will-qos') ||
    o.propertyCommands.has('will')
  )
    throw new UsageError('will options need --will-topic');
}

/** Prints a debug line on stderr when -d is given. */
export function debugLog(o: Options, text: string): void {
  if (o.debug) process.stderr.write(`qmqtt ${o.command}: ${text}\n`);
}

/** A configured, not yet connected client. */
export function createClient(o: Options, target: Target, idSuffix = ''): QMqttClient {
  const client = new QMqttClient({ connectTimeout: Math.ceil(o.connectTimeout * 1000) });
  client.setHostname(target.host);
  client.setPort(target.port);
  client.setProtocolVersion(o.protocol);
  if (o.clientId !== undefined) client.setClientId(o.clientId + idSuffix);
  else if (o.clientIdPrefix !== undefined) client.setClientId(`${o.clientIdPrefix}${process.pid}${idSuffix}`);
  if (o.username !== undefined) client.setUsername(o.username);
  if (o.password !== undefined) client.setPassword(o.password);
  client.setKeepAlive(o.keepAlive);
  client.setCleanSession(o.cleanSession);
  if (o.willTopic !== undefined) {
    client.setWillTopic(o.willTopic);
    client.setWillMessage(o.willPayload ?? '');
    client.setWillQoS(o.willQos);
    client.setWillRetain(o.willRetain);
  }
  if (o.protocol === ProtocolVersion.MQTT_5_0) {
    const props = o.connectProps.copy();
    // mosquitto: -c without -x keeps the session for ever
    if (o.sessionExpiry !== undefined) props.setSessionExpiryInterval(o.sessionExpiry);
    else if (!o.cleanSession) props.setSessionExpiryInterval(0xffffffff);
    client.setConnectionProperties(props);
    if (o.willTopic !== undefined) client.setLastWillProperties(o.willProps);
  }
  if (o.debug) {
    client.stateChanged.connect((s) => debugLog(o, `state ${ClientState[s]}`));
    client.errorOccurred.connect((e) => debugLog(o, `error ${oneLine(e)}`));
  }
  return client;
}

function describeConnectError(err: unknown): string {
  const text = oneLine(err);
  if (err instanceof QMqttError && err.clientError >= 1 && err.clientError <= 5) {
    const name = ClientError[err.clientError];
    if (name && !text.includes(name)) return `${text} (${name})`;
  }
  return text;
}

/**
 * Connects over the target's transport. Rejects with a {@link CliError} (exit 3) on any failure, including no
 * answer within `--connect-timeout` seconds (which also covers opening the socket).
 */
export async function connect(o: Options, client: QMqttClient, target: Target): Promise<boolean> {
  debugLog(
    o,
    `connecting to ${target.label} (MQTT ${PROTOCOL_NAME[o.protocol]}, client id "${client.clientId()}")`,
  );
  let start: Promise<boolean>;
  switch (target.transport) {
    case 'tls':
      start = client.connectToHostEncryptedAsync(target.tls ?? {});
      break;
    case 'ws':
      start = client.connectToHostWebSocketAsync({ path: target.path });
      break;
    case 'wss':
      start = client.connectToHostWebSocketEncryptedAsync({ path: target.path, tls: target.tls ?? {} });
      break;
    default:
      start = client.connectToHostAsync();
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${o.connectTimeout} s`)),
      Math.ceil(o.connectTimeout * 1000),
    );
  });
  try {
    const sessionPresent = await Promise.race([start, timeout]);
    debugLog(o, `connected${sessionPresent ? ' (session present)' : ''}`);
    return sessionPresent;
  } catch (err) {
    client.disconnectFromHost();
    throw new CliError(`cannot connect to ${target.label}: ${describeConnectError(err)}`, ExitCode.Connect);
  } finally {
    clearTimeout(timer);
  }
}
