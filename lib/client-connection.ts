import type { Duplex } from 'node:stream';
import { systemClock } from './clock';
import type { QMqttClientOptions } from './client-options';
export type { QMqttClientOptions } from './client-options';
import { QMqttClientProperties, generateClientId } from './client-properties';
import { ClientCore } from './core/client-core';
import { opener, targetFromUrl, type ConnectPlan, type Target } from './core/connector';
import type { CoreHost } from './core/host';
import { Reconnector } from './core/reconnect';
import { QMqttError, QMqttInvalidArgumentError } from './errors';
import {
  QMqttAuthenticationProperties,
  QMqttMessageStatusProperties,
  QMqttServerConnectionProperties,
} from './properties';
import { Signal } from './signal';
import { ClientError, ClientState, MessageStatus, ProtocolVersion, TransportType } from './state';
import type { QMqttTopicName } from './topic/topic-name';
import type { QMqttMessage } from './message';
import type { SslConfiguration } from './transport/open';
import { parseServerUrl } from './transport/url';
import type { WebSocketOptions } from './transport/websocket';

/**
 * The connection half of `QMqttClient`: its signals, the transports and connect / disconnect calls, automatic
 * reconnect and fail-over, and the hooks the protocol core calls. `QMqttClient` adds publish and subscribe.
 */
export class QMqttClientConnection extends QMqttClientProperties implements CoreHost {
  /** Qt: `QMqttClient::TransportType` and the other enums, reachable through the class as in Qt / PySide6. */
  static readonly TransportType = TransportType;
  static readonly ClientState = ClientState;
  static readonly ClientError = ClientError;
  static readonly ProtocolVersion = ProtocolVersion;

  /** A connection has been established (CONNACK accepted). */
  readonly connected = new Signal<[]>('connected');
  /** The connection has been closed, by us or by the broker or the network. */
  readonly disconnected = new Signal<[]>('disconnected');
  /** A message arrived (for any subscription). */
  readonly messageReceived = new Signal<[message: Buffer, topic: QMqttTopicName]>('messageReceived');
  /** Beyond Qt: every received message as a full `QMqttMessage` (QoS, retain, DUP, MQTT 5 properties). */
  readonly messageArrived = new Signal<[message: QMqttMessage]>('messageArrived');
  /** The broker acknowledged a QoS 1/2 message published with {@link publish}; `id` as publish returned. */
  readonly messageSent = new Signal<[id: number]>('messageSent');
  /** Each step of a QoS 1/2 exchange, both directions; under MQTT 5 with the acknowledgement's properties. */
  readonly messageStatusChanged = new Signal<
    [id: number, status: MessageStatus, properties: QMqttMessageStatusProperties]
  >('messageStatusChanged');
  /** PINGRESP arrived. */
  readonly pingResponseReceived = new Signal<[]>('pingResponseReceived');
  /** Connected with cleanSession false and the broker had kept the session. */
  readonly brokerSessionRestored = new Signal<[]>('brokerSessionRestored');
  /** MQTT 5 enhanced authentication: the broker asks for more (answer with {@link authenticate}). */
  readonly authenticationRequested = new Signal<[properties: QMqttAuthenticationProperties]>(
    'authenticationRequested',
  );
  /** MQTT 5 enhanced authentication finished. */
  readonly authenticationFinished = new Signal<[properties: QMqttAuthenticationProperties]>(
    'authenticationFinished',
  );
  /** Beyond Qt: an automatic reconnect attempt is scheduled in `delayMs`. */
  readonly reconnecting = new Signal<[attempt: number, delayMs: number]>('reconnecting');
  /** Beyond Qt: the last error as a typed object (with the MQTT reason code when the broker gave one). */
  readonly errorOccurred = new Signal<[error: QMqttError]>('errorOccurred');

  protected readonly core: ClientCore;
  private readonly reconnector: Reconnector;
  private readonly connectTimeoutMs: number;
  private device: Duplex | undefined;
  private transportKind = TransportType.AbstractSocket;
  private plan: ConnectPlan = { kind: TransportType.AbstractSocket };
  private serverUrls: string[] = [];
  private serverIndex = 0;
  private redirect: Target | undefined;
  private userDisconnect = false;
  private lastError: QMqttError | undefined;
  protected reconnectPolicy = { enabled: false, initialDelay: 1000, maxDelay: 60_000 };

  constructor(options: QMqttClientOptions = {}) {
    super();
    const clock = options.clock ?? systemClock;
    this.core = new ClientCore(this, clock, options.sessionStore);
    this.reconnector = new Reconnector(
      clock,
      () => this.reconnectPolicy,
      () => this.startConnect(),
      (attempt, delay) => this.reconnecting.emit(attempt, delay),
    );
    this.connectTimeoutMs = options.connectTimeout ?? 30_000;
    if (options.maxInflight !== undefined) this.setMaxInflight(options.maxInflight);
    if (options.tcpQuickAck !== undefined) this.setTcpQuickAck(options.tcpQuickAck);
  }

  // ---- transport -------------------------------------------------------------------------------------------

  /** The stream set with {@link setTransport}, until a connection takes it. */
  transport(): Duplex | undefined {
    return this.device;
  }

  /** The kind of transport of the current or last connection. */
  transportType(): TransportType {
    return this.transportKind;
  }

  /**
   * Uses an already open Duplex stream (socket, TLS socket, WebSocket stream, pipe) for the next connection
   * (Qt: IODevice / AbstractSocket / SecureSocket). Ignored unless Disconnected. One stream, one connection.
   */
  setTransport(device: Duplex, transport: TransportType): void {
    if (this.p.state !== ClientState.Disconnected) return;
    this.device = device;
    this.transportKind = transport;
  }

  /**
   * Beyond Qt: a list of broker URLs (`mqtt://`, `mqtts://`, `ws://`, `wss://`) to fail over between. When set,
   * each connection attempt uses the current entry, and a failed attempt moves to the next one.
   */
  setServers(urls: string[]): void {
    for (const u of urls) parseServerUrl(u); // throws a clear error for a bad entry
    this.serverUrls = [...urls];
    this.serverIndex = 0;
  }

  servers(): string[] {
    return [...this.serverUrls];
  }

  /** Beyond Qt: sets hostname, port and transport from one URL; `mqtts://` and `wss://` imply TLS. */
  setUrl(url: string): void {
    const a = parseServerUrl(url);
    this.setHostname(a.host);
    this.setPort(a.port);
    if (a.username !== undefined) this.setUsername(a.username);
    if (a.password !== undefined) this.setPassword(a.password);
    this.serverUrls = [];
    this.plan = targetFromUrl(url, this.plan).plan;
  }

  // ---- connection ------------------------------------------------------------------------------------------

  /** Opens a connection over TCP to `hostname():port()` (or over the stream set with setTransport, or the URL set with setUrl). */
  connectToHost(): void {
    this.beginConnect(this.plan.kind === TransportType.AbstractSocket ? this.plan : this.plan);
  }

  /** Opens a TLS connection; certificate verification is on unless `conf.rejectUnauthorized === false`. */
  connectToHostEncrypted(conf: SslConfiguration = {}): void {
    this.beginConnect({ kind: TransportType.SecureSocket, ssl: conf });
  }

  /** Qt 6.10: opens `ws://hostname:port/path` (path default `/mqtt`). */
  connectToHostWebSocket(opts: WebSocketOptions = {}): void {
    this.beginConnect({ kind: TransportType.WebSocket, ws: opts });
  }

  /** Qt 6.10: opens `wss://hostname:port/path`. */
  connectToHostWebSocketEncrypted(opts: WebSocketOptions = {}): void {
    this.beginConnect({ kind: TransportType.SecureWebSocket, ws: opts });
  }

  /** Promise form of {@link connectToHost}: resolves with Session Present on CONNACK, rejects with the error. */
  connectToHostAsync(): Promise<boolean> {
    return this.connectAsync(() => this.connectToHost());
  }

  connectToHostEncryptedAsync(conf: SslConfiguration = {}): Promise<boolean> {
    return this.connectAsync(() => this.connectToHostEncrypted(conf));
  }

  connectToHostWebSocketAsync(opts: WebSocketOptions = {}): Promise<boolean> {
    return this.connectAsync(() => this.connectToHostWebSocket(opts));
  }

  connectToHostWebSocketEncryptedAsync(opts: WebSocketOptions = {}): Promise<boolean> {
    return this.connectAsync(() => this.connectToHostWebSocketEncrypted(opts));
  }

  /** Sends DISCONNECT and closes; stops automatic reconnects. MQTT 5: `reasonCode` (0x04 sends the will). */
  disconnectFromHost(reasonCode = 0): void {
    this.reconnector.cancel();
    if (this.p.state === ClientState.Disconnected) return;
    this.userDisconnect = true;
    this.core.disconnect(reasonCode);
  }

  /** Promise form of {@link disconnectFromHost}: resolves once Disconnected. */
  disconnectFromHostAsync(reasonCode = 0): Promise<void> {
    if (this.p.state === ClientState.Disconnected) {
      this.reconnector.cancel();
      return Promise.resolve();
    }
    const done = this.core.disconnectWaiters.wait();
    this.disconnectFromHost(reasonCode);
    return done;
  }

  /** Qt slot: only `Disconnected` has an effect (it disconnects). */
  setState(state: ClientState): void {
    if (state === ClientState.Disconnected) this.disconnectFromHost();
  }

  /** Sends PINGREQ. False when not connected or while autoKeepAlive is on (as Qt documents). */
  requestPing(): boolean {
    if (this.p.autoKeepAlive) return false;
    return this.core.sendPing();
  }

  /** The last error as an object with message and reason code (undefined after a clean connect). */
  lastErrorDetail(): QMqttError | undefined {
    return this.lastError;
  }

  // ---- beyond Qt: flow control, reconnect, offline queue ---------------------------------------------------

  /**
   * Most QoS 1/2 messages in flight, within the broker's Receive Maximum (MQTT 5). Until `setMaxInflight`: MQTT 5
   * uses the Receive Maximum alone; 3.1/3.1.1 holds QoS 2 to this default (20; a default mosquitto drops QoS 2
   * beyond it) and QoS 1 only to the 65,535 packet identifiers.
   */
  maxInflight(): number {
    return this.core.inflightWindow;
  }

  setMaxInflight(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new RangeError(`maxInflight must be 1…65535, got ${n}`);
    this.core.inflightWindow = n;
    this.core.inflightWindowSet = true;
    this.core.outbox.pump();
  }

  autoReconnect(): boolean {
    return this.reconnectPolicy.enabled;
  }

  /** Reconnect automatically after a lost connection or a failed attempt (backoff, jitter, fail-over). */
  setAutoReconnect(enabled: boolean): void {
    this.reconnectPolicy.enabled = Boolean(enabled);
    if (!enabled) this.reconnector.cancel();
  }

  reconnectDelay(): number {
    return this.reconnectPolicy.initialDelay;
  }

  /** First reconnect delay in ms (doubles per failed attempt, up to {@link maxReconnectDelay}). */
  setReconnectDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`reconnect delay must be ≥ 0 ms, got ${ms}`);
    this.reconnectPolicy.initialDelay = ms;
  }

  maxReconnectDelay(): number {
    return this.reconnectPolicy.maxDelay;
  }

  setMaxReconnectDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`max reconnect delay must be ≥ 0 ms, got ${ms}`);
    this.reconnectPolicy.maxDelay = ms;
  }

  // ---- CoreHost (internal) ---------------------------------------------------------------------------------

  /** @internal */
  setStateAndError(state: ClientState, error?: ClientError, detail?: QMqttError): void {
    if (error !== undefined) {
      this.lastError = error === ClientError.NoError ? undefined : detail;
      this.setError(error);
      if (detail && error !== ClientError.NoError) this.errorOccurred.emit(detail);
    }
    if (state === this.p.state) return;
    this.p.state = state;
    this.stateChanged.emit(state);
    if (state === ClientState.Connected) {
      this.reconnector.connected();
      this.connected.emit();
    } else if (state === ClientState.Disconnected) {
      const byUser = this.userDisconnect;
      this.userDisconnect = false;
      this.disconnected.emit();
      if (!byUser) {
        if (this.serverUrls.length > 1) this.serverIndex = (this.serverIndex + 1) % this.serverUrls.length;
        this.reconnector.connectionLost();
      }
    }
  }

  /** @internal */
  applyAssignedClientId(id: string): void {
    if (id === this.p.clientId) return;
    this.p.clientId = id;
    this.clientIdChanged.emit(id);
  }

  /** @internal */
  applyServerConnectionProperties(props: QMqttServerConnectionProperties): void {
    this.serverProps = props;
  }

  /** @internal MQTT 5 server redirect (0x9C / 0x9D): the next attempt goes to `reference`. */
  applyServerRedirect(reference: string): void {
    const first = reference.split(/\s+/)[0] ?? '';
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(first);
    if (!m) return;
    const host = m[1]!.replace(/^\[|\]$/g, '');
    this.redirect = { host, port: m[2] ? Number(m[2]) : this.p.port, plan: this.plan };
  }

  // ---- private ---------------------------------------------------------------------------------------------

  private beginConnect(plan: ConnectPlan): void {
    if (this.p.state !== ClientState.Disconnected) return;
    this.plan = plan;
    this.reconnector.cancel();
    this.startConnect();
  }

  /** One connection attempt with the current plan (also what the reconnector calls). */
  private startConnect(): void {
    if (this.p.state !== ClientState.Disconnected) return;
    if (this.p.password && !this.p.username && this.p.protocolVersion !== ProtocolVersion.MQTT_5_0) {
      // 3.1.1 [MQTT-3.1.2-22] forbids it; MQTT 5 allows it (§3.1.2.9)
      const e = new QMqttInvalidArgumentError(
        'MQTT 3.1/3.1.1 do not allow a password without a user name [MQTT-3.1.2-22]: set a user name',
      );
      this.core.connectWaiters.rejectAll(e);
      this.errorOccurred.emit(e);
      return;
    }
    let open: () => Promise<Duplex>;
    const device = this.device;
    if (device) {
      this.device = undefined;
      open = () => Promise.resolve(device);
    } else {
      const target = this.currentTarget();
      if (!target) {
        const e = new QMqttError('No hostname set and no transport given', ClientError.TransportInvalid);
        this.core.connectWaiters.rejectAll(e);
        this.setStateAndError(ClientState.Disconnected, ClientError.TransportInvalid, e);
        return;
      }
      this.transportKind = target.plan.kind;
      open = opener(target, this.p.protocolVersion);
    }
    if (!this.clientId() && this.p.protocolVersion !== ProtocolVersion.MQTT_5_0)
      this.applyAssignedClientId(generateClientId());
    this.serverProps = new QMqttServerConnectionProperties();
    this.core.connect({
      clientId: this.clientId(),
      username: this.p.username,
      password: this.p.password,
      keepAlive: this.p.keepAlive,
      autoKeepAlive: this.p.autoKeepAlive,
      cleanSession: this.p.cleanSession,
      protocolVersion: this.p.protocolVersion,
      willTopic: this.p.willTopic,
      willMessage: this.p.willMessage,
      willQoS: this.p.willQoS as 0 | 1 | 2,
      willRetain: this.p.willRetain,
      connectionProperties: this.connectionProps.copy(),
      lastWillProperties: this.lastWillProps.copy(),
      connectTimeout: this.connectTimeoutMs,
      tcpQuickAck: this.quickAckOn,
      openTransport: open,
    });
  }

  private currentTarget(): Target | undefined {
    if (this.redirect) {
      const r = this.redirect;
      this.redirect = undefined;
      return r;
    }
    const url = this.serverUrls[this.serverIndex];
    if (url) return targetFromUrl(url, this.plan);
    if (!this.p.hostname) return undefined;
    return { host: this.p.hostname, port: this.p.port, plan: this.plan };
  }

  protected connectAsync(start: () => void): Promise<boolean> {
    if (this.p.state === ClientState.Connected) return Promise.resolve(false);
    const done = this.core.connectWaiters.wait();
    if (this.p.state === ClientState.Disconnected) start();
    return done;
  }
}
