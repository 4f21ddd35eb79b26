import { randomBytes } from 'node:crypto';
import { Signal } from './signal';
import { tcpQuickAckUnavailable } from './transport/quick-ack';
import { ClientError, ClientState, ProtocolVersion } from './state';
import {
  QMqttConnectionProperties,
  QMqttLastWillProperties,
  QMqttServerConnectionProperties,
} from './properties';

/** Qt's default client id: a random 23-character hex string per instance. */
export function generateClientId(): string {
  return randomBytes(12).toString('hex').slice(0, 23);
}

/**
 * The Q_PROPERTYs of `QMqttClient`: getters, setters (slots) and `…Changed` signals. As in Qt, setters are
 * ignored unless the client is Disconnected (they configure the next connection), and a `…Changed` signal
 * fires only on a real change. Setters validate and throw `RangeError`/`TypeError` on impossible values
 * (Qt would silently ignore them).
 */
export class QMqttClientProperties {
  readonly hostnameChanged = new Signal<[hostname: string]>('hostnameChanged');
  readonly portChanged = new Signal<[port: number]>('portChanged');
  readonly clientIdChanged = new Signal<[clientId: string]>('clientIdChanged');
  readonly usernameChanged = new Signal<[username: string]>('usernameChanged');
  readonly passwordChanged = new Signal<[password: string]>('passwordChanged');
  readonly keepAliveChanged = new Signal<[keepAlive: number]>('keepAliveChanged');
  readonly autoKeepAliveChanged = new Signal<[autoKeepAlive: boolean]>('autoKeepAliveChanged');
  readonly cleanSessionChanged = new Signal<[cleanSession: boolean]>('cleanSessionChanged');
  readonly protocolVersionChanged = new Signal<[protocolVersion: ProtocolVersion]>('protocolVersionChanged');
  readonly willTopicChanged = new Signal<[willTopic: string]>('willTopicChanged');
  readonly willMessageChanged = new Signal<[willMessage: Buffer]>('willMessageChanged');
  readonly willQoSChanged = new Signal<[willQoS: number]>('willQoSChanged');
  readonly willRetainChanged = new Signal<[willRetain: boolean]>('willRetainChanged');
  readonly stateChanged = new Signal<[state: ClientState]>('stateChanged');
  readonly errorChanged = new Signal<[error: ClientError]>('errorChanged');

  protected p = {
    hostname: '',
    port: 0,
    /** made on first use (a random id per instance, as in Qt): most applications set their own */
    clientId: undefined as string | undefined,
    username: '',
    password: '',
    keepAlive: 60,
    autoKeepAlive: true,
    cleanSession: true,
    protocolVersion: ProtocolVersion.MQTT_3_1_1,
    willTopic: '',
    willMessage: Buffer.alloc(0),
    willQoS: 0,
    willRetain: false,
    state: ClientState.Disconnected,
    error: ClientError.NoError,
  };
  /** Beyond Qt: TCP_QUICKACK for the broker's answers, see {@link tcpQuickAck}. */
  protected quickAckOn = true;
  protected connectionProps = new QMqttConnectionProperties();
  protected lastWillProps = new QMqttLastWillProperties();
  protected serverProps = new QMqttServerConnectionProperties();

  /** Host name or address of the broker. */
  hostname(): string {
    return this.p.hostname;
  }
  /** Port of the broker; 0 means the transport's default (1883, 8883 for TLS, 80/443 for WebSockets). */
  port(): number {
    return this.p.port;
  }
  /** Client identifier sent in CONNECT. */
  clientId(): string {
    return (this.p.clientId ??= generateClientId());
  }
  username(): string {
    return this.p.username;
  }
  password(): string {
    return this.p.password;
  }
  /** Keep Alive in seconds (0 turns it off). */
  keepAlive(): number {
    return this.p.keepAlive;
  }
  /** Whether the client sends PINGREQ by itself (default true). */
  autoKeepAlive(): boolean {
    return this.p.autoKeepAlive;
  }
  /** Clean Session (3.1.1) / Clean Start (5). Default true. */
  cleanSession(): boolean {
    return this.p.cleanSession;
  }
  protocolVersion(): ProtocolVersion {
    return this.p.protocolVersion;
  }
  willTopic(): string {
    return this.p.willTopic;
  }
  willMessage(): Buffer {
    return this.p.willMessage;
  }
  willQoS(): number {
    return this.p.willQoS;
  }
  willRetain(): boolean {
    return this.p.willRetain;
  }
  state(): ClientState {
    return this.p.state;
  }
  error(): ClientError {
    return this.p.error;
  }
  /** MQTT 5: the properties requested in CONNECT (a copy). */
  connectionProperties(): QMqttConnectionProperties {
    return this.connectionProps.copy();
  }
  /** MQTT 5: the properties of the will message (a copy). */
  lastWillProperties(): QMqttLastWillProperties {
    return this.lastWillProps.copy();
  }
  /** MQTT 5: what the broker said in CONNACK (valid after a connection attempt, also a failed one). */
  serverConnectionProperties(): QMqttServerConnectionProperties {
    return this.serverProps;
  }

  setHostname(v: string): void {
    this.set('hostname', String(v), this.hostnameChanged);
  }
  setPort(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 65535) throw new RangeError(`port must be 0…65535, got ${v}`);
    this.set('port', v, this.portChanged);
  }
  setClientId(v: string): void {
    const id = String(v);
    if (this.p.state !== ClientState.Disconnected || this.p.clientId === id) return;
    this.p.clientId = id;
    this.clientIdChanged.emit(id);
  }
  setUsername(v: string): void {
    this.set('username', String(v), this.usernameChanged);
  }
  setPassword(v: string): void {
    this.set('password', String(v), this.passwordChanged);
  }
  setKeepAlive(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 65535)
      throw new RangeError(`keepAlive must be 0…65535 s, got ${v}`);
    this.set('keepAlive', v, this.keepAliveChanged);
  }
  setAutoKeepAlive(v: boolean): void {
    this.set('autoKeepAlive', Boolean(v), this.autoKeepAliveChanged);
  }
  setCleanSession(v: boolean): void {
    this.set('cleanSession', Boolean(v), this.cleanSessionChanged);
  }
  /** Values outside 3–5 are ignored, as in Qt. */
  setProtocolVersion(v: ProtocolVersion): void {
    if (v !== 3 && v !== 4 && v !== 5) return;
    this.set('protocolVersion', v, this.protocolVersionChanged);
  }
  setWillTopic(v: string): void {
    this.set('willTopic', String(v), this.willTopicChanged);
  }
  setWillMessage(v: Buffer | Uint8Array | string): void {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
    if (this.p.state !== ClientState.Disconnected || b.equals(this.p.willMessage)) return;
    this.p.willMessage = b;
    this.willMessageChanged.emit(b);
  }
  setWillQoS(v: number): void {
    if (v !== 0 && v !== 1 && v !== 2) throw new RangeError(`willQoS must be 0, 1 or 2, got ${v}`);
    this.set('willQoS', v, this.willQoSChanged);
  }
  setWillRetain(v: boolean): void {
    this.set('willRetain', Boolean(v), this.willRetainChanged);
  }
  /** MQTT 5: properties to request in CONNECT (copied). */
  setConnectionProperties(prop: QMqttConnectionProperties): void {
    if (this.p.state !== ClientState.Disconnected) return;
    this.connectionProps = prop.copy();
  }
  /** MQTT 5: will properties (copied). */
  setLastWillProperties(prop: QMqttLastWillProperties): void {
    if (this.p.state !== ClientState.Disconnected) return;
    this.lastWillProps = prop.copy();
  }
  /**
   * Beyond Qt (Linux): acknowledge the broker's PUBACK / PUBCOMP at once instead of after
   * Linux's 40 ms delayed ACK, when no other answer is awaited and nothing of ours is about to be sent that would carry the ACK (TCP_QUICKACK,
   * through the optional dependency `koffi`). Without it, a broker with Nagle's algorithm on (mosquitto's default) holds
   * a QoS 1 response until its PUBACK to us is acknowledged: about 40 ms per round trip. On by default; applies
   * from the next connection; a no-op where {@link tcpQuickAckUnavailable} gives a reason.
   */
  tcpQuickAck(): boolean {
    return this.quickAckOn;
  }
  setTcpQuickAck(on: boolean): void {
    this.quickAckOn = Boolean(on);
  }
  /** Why TCP_QUICKACK cannot be used on this system (not Linux, optional `koffi` missing), or undefined. */
  static tcpQuickAckUnavailable(): string | undefined {
    return tcpQuickAckUnavailable();
  }
  /** Sets the error property (Qt slot); emits `errorChanged` on a change. */
  setError(e: ClientError): void {
    if (e === this.p.error) return;
    this.p.error = e;
    this.errorChanged.emit(e);
  }

  protected set<
    K extends
      | 'hostname'
      | 'port'
      | 'username'
      | 'password'
      | 'keepAlive'
      | 'autoKeepAlive'
      | 'cleanSession'
      | 'protocolVersion'
      | 'willTopic'
      | 'willQoS'
      | 'willRetain',
  >(key: K, value: (typeof this.p)[K], signal: Signal<[(typeof this.p)[K]]>): void {
    if (this.p.state !== ClientState.Disconnected || this.p[key] === value) return;
    this.p[key] = value;
    signal.emit(value);
  }
}
