import type { Duplex } from 'node:stream';
import { systemClock, type Clock } from './clock';
import { QMqttClientProperties, generateClientId } from './client-properties';
import { ClientCore } from './core/client-core';
import { opener, targetFromUrl, type ConnectPlan, type Target } from './core/connector';
import type { CoreHost } from './core/host';
import type { Deferred } from './core/pending';
import {
  filterText,
  preparePublishArgs,
  prepareSubscribeArgs,
  publishPacket,
  type Payload,
  type TopicFilterLike,
  type TopicNameLike,
} from './core/prepare';
import { Reconnector } from './core/reconnect';
import { QMqttError, QMqttInvalidArgumentError, QMqttNotConnectedError } from './errors';
import type { PublishPacket } from './packet/codec';
import {
  QMqttAuthenticationProperties,
  QMqttMessageStatusProperties,
  QMqttPublishProperties,
  QMqttServerConnectionProperties,
  QMqttSubscriptionProperties,
  QMqttUnsubscriptionProperties,
  authPropertiesToWire,
} from './properties';
import type { PublishOutcome } from './session/session';
import type { SessionStore } from './session/store';
import { Signal } from './signal';
import { ClientError, ClientState, MessageStatus, ProtocolVersion, TransportType } from './state';
import type { QMqttSubscription } from './subscription';
import type { QMqttTopicName } from './topic/topic-name';
import type { SslConfiguration } from './transport/open';
import { parseServerUrl } from './transport/url';
import type { WebSocketOptions } from './transport/websocket';

export type { Payload, TopicNameLike, TopicFilterLike };

/** Options beyond Qt's properties, given to the constructor. */
export interface QMqttClientOptions {
  /** Time source for keepalive, timeouts and reconnect backoff (tests inject a fake one). */
  clock?: Clock;
  /** Where the session is kept; in memory by default. */
  sessionStore?: SessionStore;
  /** Milliseconds to wait for CONNACK (default 30 000). */
  connectTimeout?: number;
  /** Most QoS 1/2 messages in flight when the broker does not announce Receive Maximum (default 20). */
  maxInflight?: number;
}

/** Result of a publish acknowledged by the broker (`publishAsync`). */
export type PublishResult = PublishOutcome;

/**
 * An MQTT 3.1 / 3.1.1 / 5.0 client with the API of Qt's `QMqttClient`. Configure it with the setters while
 * Disconnected, call {@link connectToHost}, then publish and subscribe. Every asynchronous operation has a
 * promise form (`…Async`) that settles on the broker's answer and rejects with a {@link QMqttError}.
 */
export class QMqttClient extends QMqttClientProperties implements CoreHost {
  /** A connection has been established (CONNACK accepted). */
  readonly connected = new Signal<[]>('connected');
  /** The connection has been closed, by us or by the broker or the network. */
  readonly disconnected = new Signal<[]>('disconnected');
  /** A message arrived (for any subscription). */
  readonly messageReceived = new Signal<[message: Buffer, topic: QMqttTopicName]>('messageReceived');
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

  private readonly core: ClientCore;
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
  private reconnectPolicy = { enabled: false, initialDelay: 1000, maxDelay: 60_000 };
  private offlineLimits = { messages: 1000, bytes: 16 * 1024 * 1024 };

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

  /** Largest number of QoS 1/2 messages in flight (also bounded by the broker's Receive Maximum). */
  maxInflight(): number {
    return this.core.inflightWindow;
  }

  setMaxInflight(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new RangeError(`maxInflight must be 1…65535, got ${n}`);
    this.core.inflightWindow = n;
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

  /** Limits of the queue that holds publishes made while not connected (with autoReconnect or while connecting). */
  setOfflineQueueLimits(messages: number, bytes: number): void {
    if (!Number.isInteger(messages) || messages < 0)
      throw new RangeError(`messages must be ≥ 0, got ${messages}`);
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`bytes must be ≥ 0, got ${bytes}`);
    this.offlineLimits = { messages, bytes };
  }

  offlineQueueLimits(): { messages: number; bytes: number } {
    return { ...this.offlineLimits };
  }

  /** Messages accepted and not yet written (offline queue plus those waiting for the send quota). */
  queuedMessageCount(): number {
    return this.core.session.queue.length;
  }

  /** QoS 1/2 messages written and not yet acknowledged. */
  inflightMessageCount(): number {
    return this.core.session.inflight.size;
  }

  /** MQTT 5: answers an `authenticationRequested`, or starts re-authentication when connected. */
  authenticate(prop: QMqttAuthenticationProperties): void {
    if (this.p.protocolVersion !== ProtocolVersion.MQTT_5_0 || this.p.state === ClientState.Disconnected)
      return;
    this.core.conn?.send({
      cmd: 'auth',
      reasonCode: this.p.state === ClientState.Connected ? 0x19 : 0x18,
      properties: authPropertiesToWire(prop),
    });
  }

  // ---- publish ---------------------------------------------------------------------------------------------

  /**
   * Publishes a message. Returns the packet id (0 for QoS 0), or -1 when it cannot be sent: invalid topic or
   * QoS, not connected (unless queued offline), offline queue full. {@link publishAsync} says why.
   */
  publish(topic: TopicNameLike, message?: Payload, qos?: number, retain?: boolean): number;
  publish(
    topic: TopicNameLike,
    properties: QMqttPublishProperties,
    message?: Payload,
    qos?: number,
    retain?: boolean,
  ): number;
  publish(topic: TopicNameLike, a?: unknown, b?: unknown, c?: unknown, d?: unknown): number {
    const r = this.preparePublish(topic, a, b, c, d);
    if (r instanceof Error) return -1;
    this.core.outbox.submit(r, undefined);
    return r.messageId ?? 0;
  }

  /**
   * Promise form of publish: resolves when the broker acknowledged (QoS 1: PUBACK, QoS 2: PUBCOMP; QoS 0: when
   * written) with the reason code; rejects with a typed error (invalid input, not connected, refused by the
   * broker with a reason code ≥ 0x80).
   */
  publishAsync(
    topic: TopicNameLike,
    message?: Payload,
    qos?: number,
    retain?: boolean,
  ): Promise<PublishResult>;
  publishAsync(
    topic: TopicNameLike,
    properties: QMqttPublishProperties,
    message?: Payload,
    qos?: number,
    retain?: boolean,
  ): Promise<PublishResult>;
  publishAsync(
    topic: TopicNameLike,
    a?: unknown,
    b?: unknown,
    c?: unknown,
    d?: unknown,
  ): Promise<PublishResult> {
    const r = this.preparePublish(topic, a, b, c, d);
    if (r instanceof Error) return Promise.reject(r);
    return new Promise((resolve, reject) =>
      this.core.outbox.submit(r, (err, outcome) => (err ? reject(err) : resolve(outcome!))),
    );
  }

  // ---- subscribe -------------------------------------------------------------------------------------------

  /**
   * Subscribes to a topic filter. Returns the subscription (the same object for the same filter while it is
   * active), or null when the filter or QoS is invalid or the client is not connected (Qt's contract; while
   * connecting or with autoReconnect the subscription is made on connect).
   */
  subscribe(topic: TopicFilterLike, qos?: number): QMqttSubscription | null;
  subscribe(
    topic: TopicFilterLike,
    properties: QMqttSubscriptionProperties,
    qos?: number,
  ): QMqttSubscription | null;
  subscribe(topic: TopicFilterLike, a?: unknown, b?: unknown): QMqttSubscription | null {
    const r = this.prepareSubscribe(topic, a, b);
    if (r instanceof Error) return null;
    return this.core.subscriber.subscribe(r.filter, r.qos, r.properties);
  }

  /** Promise form of subscribe: resolves with the subscription on SUBACK, rejects with the reason code. */
  subscribeAsync(topic: TopicFilterLike, qos?: number): Promise<QMqttSubscription>;
  subscribeAsync(
    topic: TopicFilterLike,
    properties: QMqttSubscriptionProperties,
    qos?: number,
  ): Promise<QMqttSubscription>;
  subscribeAsync(topic: TopicFilterLike, a?: unknown, b?: unknown): Promise<QMqttSubscription> {
    const r = this.prepareSubscribe(topic, a, b);
    if (r instanceof Error) return Promise.reject(r);
    return this.deferred<QMqttSubscription>((d) =>
      this.core.subscriber.subscribe(r.filter, r.qos, r.properties, d),
    );
  }

  /** Unsubscribes from a topic filter (MQTT 5: with properties). */
  unsubscribe(topic: TopicFilterLike, properties?: QMqttUnsubscriptionProperties): void {
    const sub = this.core.subscriptions.get(filterText(topic));
    if (sub) this.core.subscriber.unsubscribe(sub, properties);
  }

  /** Promise form of unsubscribe: resolves on UNSUBACK. */
  unsubscribeAsync(topic: TopicFilterLike, properties?: QMqttUnsubscriptionProperties): Promise<void> {
    const sub = this.core.subscriptions.get(filterText(topic));
    if (!sub)
      return Promise.reject(new QMqttInvalidArgumentError(`Not subscribed to "${filterText(topic)}"`));
    return this.deferred<void>((d) => this.core.subscriber.unsubscribe(sub, properties, d));
  }

  /** The subscriptions the client holds. */
  subscriptions(): QMqttSubscription[] {
    return this.core.subscriptions.all();
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
    if (!this.p.clientId && this.p.protocolVersion !== ProtocolVersion.MQTT_5_0)
      this.applyAssignedClientId(generateClientId());
    this.serverProps = new QMqttServerConnectionProperties();
    this.core.connect({
      clientId: this.p.clientId,
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

  private connectAsync(start: () => void): Promise<boolean> {
    if (this.p.state === ClientState.Connected) return Promise.resolve(false);
    const done = this.core.connectWaiters.wait();
    if (this.p.state === ClientState.Disconnected) start();
    return done;
  }

  /** May a message be accepted now: connected, or queued for a connection that is coming. */
  private acceptingOffline(): boolean {
    return this.p.state === ClientState.Connecting || this.reconnectPolicy.enabled;
  }

  private preparePublish(
    topic: TopicNameLike,
    a: unknown,
    b: unknown,
    c: unknown,
    d: unknown,
  ): PublishPacket | QMqttError {
    const args = preparePublishArgs(topic, a, b, c, d);
    if (args instanceof Error) return args;
    if (this.p.state !== ClientState.Connected) {
      if (!this.acceptingOffline()) return new QMqttNotConnectedError();
      const s = this.core.session;
      if (
        s.queue.length >= this.offlineLimits.messages ||
        s.queuedBytes + args.payload.length > this.offlineLimits.bytes
      )
        return new QMqttError(
          `The offline queue is full (${this.offlineLimits.messages} messages / ${this.offlineLimits.bytes} bytes)`,
          ClientError.NoError,
        );
    }
    const problem = this.core.checkPublish(args);
    if (problem) return problem;
    const packet = publishPacket(args, this.core.publishWireProperties(args));
    if (args.qos > 0) {
      const id = this.core.session.ids.allocate();
      if (id === 0)
        return new QMqttError('All 65535 packet identifiers are in use', ClientError.UnknownError);
      packet.messageId = id;
    }
    return packet;
  }

  private prepareSubscribe(topic: TopicFilterLike, a: unknown, b: unknown) {
    const args = prepareSubscribeArgs(topic, a, b);
    if (args instanceof Error) return args;
    if (this.p.state !== ClientState.Connected && !this.acceptingOffline())
      return new QMqttNotConnectedError();
    return this.core.checkSubscribe(args) ?? args;
  }

  private deferred<T>(start: (d: Deferred<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => start({ resolve, reject }));
  }
}
