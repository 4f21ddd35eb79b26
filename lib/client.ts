import type { Duplex } from 'node:stream';
import { systemClock, type Clock } from './clock';
import { QMqttClientProperties, generateClientId } from './client-properties';
import { ClientCore } from './core/client-core';
import type { CoreHost } from './core/host';
import type { Deferred } from './core/pending';
import { QMqttError, QMqttInvalidArgumentError, QMqttNotConnectedError } from './errors';
import type { QMqttMessage } from './message';
import type { PublishPacket } from './packet/codec';
import {
  QMqttAuthenticationProperties,
  QMqttMessageStatusProperties,
  QMqttPublishProperties,
  QMqttServerConnectionProperties,
  QMqttSubscriptionProperties,
  QMqttUnsubscriptionProperties,
  publishPropertiesToWire,
  authPropertiesToWire,
} from './properties';
import type { PublishOutcome } from './session/session';
import type { SessionStore } from './session/store';
import { Signal } from './signal';
import { ClientError, ClientState, MessageStatus, ProtocolVersion, TransportType } from './state';
import type { QMqttSubscription } from './subscription';
import { QMqttTopicFilter, validateTopicFilter } from './topic/topic-filter';
import { QMqttTopicName, validateTopicName } from './topic/topic-name';
import { openTcp, openTls, type SslConfiguration } from './transport/open';

export type Payload = Buffer | Uint8Array | string;
export type TopicNameLike = QMqttTopicName | string;
export type TopicFilterLike = QMqttTopicFilter | string;

/** Options beyond Qt's properties, given to the constructor. */
export interface QMqttClientOptions {
  /** Time source for keepalive and timeouts (tests inject a fake one). */
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

  private readonly core: ClientCore;
  private readonly connectTimeoutMs: number;
  private device: Duplex | undefined;
  private transportType = TransportType.AbstractSocket;
  private sslConfiguration: SslConfiguration | undefined;

  constructor(options: QMqttClientOptions = {}) {
    super();
    this.core = new ClientCore(this, options.clock ?? systemClock, options.sessionStore);
    this.connectTimeoutMs = options.connectTimeout ?? 30_000;
    if (options.maxInflight !== undefined) this.setMaxInflight(options.maxInflight);
  }

  // ---- transport -------------------------------------------------------------------------------------------

  /** The transport set with {@link setTransport}, or undefined when the client opens its own socket. */
  transport(): Duplex | undefined {
    return this.device;
  }

  /** The kind of transport in use. */
  transportTypeValue(): TransportType {
    return this.transportType;
  }

  /**
   * Uses an already open Duplex stream (a socket, a TLS socket, a WebSocket stream, a pipe) for the next
   * connection. Ignored unless Disconnected. The stream is used for one connection.
   */
  setTransport(device: Duplex, transport: TransportType): void {
    if (this.p.state !== ClientState.Disconnected) return;
    this.device = device;
    this.transportType = transport;
  }

  // ---- connection ------------------------------------------------------------------------------------------

  /** Opens a connection to `hostname():port()` (or over the transport set with setTransport). */
  connectToHost(): void {
    this.startConnect(undefined);
  }

  /** Opens a TLS connection; certificate verification is on unless `conf.rejectUnauthorized === false`. */
  connectToHostEncrypted(conf: SslConfiguration = {}): void {
    this.startConnect(conf);
  }

  /** Promise form of {@link connectToHost}: resolves with `sessionPresent` on CONNACK, rejects with the error. */
  connectToHostAsync(): Promise<boolean> {
    return this.connectAsync(undefined);
  }

  /** Promise form of {@link connectToHostEncrypted}. */
  connectToHostEncryptedAsync(conf: SslConfiguration = {}): Promise<boolean> {
    return this.connectAsync(conf);
  }

  /** Sends DISCONNECT and closes. MQTT 5: `reasonCode` (e.g. 0x04 to have the will sent). */
  disconnectFromHost(reasonCode = 0): void {
    if (this.p.state === ClientState.Disconnected) return;
    this.core.disconnect(reasonCode);
  }

  /** Promise form of {@link disconnectFromHost}: resolves once Disconnected. */
  disconnectFromHostAsync(reasonCode = 0): Promise<void> {
    if (this.p.state === ClientState.Disconnected) return Promise.resolve();
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

  /** MQTT 5: answers an `authenticationRequested`, or starts re-authentication when connected. */
  authenticate(prop: QMqttAuthenticationProperties): void {
    if (this.p.protocolVersion !== ProtocolVersion.MQTT_5_0 || this.p.state === ClientState.Disconnected)
      return;
    const conn = this.core.conn;
    if (!conn) return;
    conn.send({
      cmd: 'auth',
      reasonCode: this.p.state === ClientState.Connected ? 0x19 : 0x18,
      properties: authPropertiesToWire(prop),
    });
  }

  // ---- publish ---------------------------------------------------------------------------------------------

  /**
   * Publishes a message. Returns the packet id (0 for QoS 0), or -1 when the message cannot be sent: not
   * connected, invalid topic or QoS (Qt's contract; {@link publishAsync} says why).
   */
  publish(topic: TopicNameLike, message?: Payload, qos?: number, retain?: boolean): number;
  publish(
    topic: TopicNameLike,
    properties: QMqttPublishProperties,
    message?: Payload,
    qos?: number,
    retain?: boolean,
  ): number;
  publish(
    topic: TopicNameLike,
    a?: QMqttPublishProperties | Payload,
    b?: unknown,
    c?: unknown,
    d?: unknown,
  ): number {
    const r = this.preparePublish(topic, a, b, c, d);
    if (r instanceof Error) return -1;
    this.core.outbox.submit(r, undefined);
    return r.messageId ?? 0;
  }

  /**
   * Promise form of publish: resolves when the broker acknowledged (QoS 1: PUBACK, QoS 2: PUBCOMP; QoS 0: when
   * written), with the reason code; rejects with a typed error (invalid input, not connected, refused by the
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
    a?: QMqttPublishProperties | Payload,
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
   * active), or null when not connected or when the filter or QoS is invalid (Qt's contract).
   */
  subscribe(topic: TopicFilterLike, qos?: number): QMqttSubscription | null;
  subscribe(
    topic: TopicFilterLike,
    properties: QMqttSubscriptionProperties,
    qos?: number,
  ): QMqttSubscription | null;
  subscribe(
    topic: TopicFilterLike,
    a?: number | QMqttSubscriptionProperties,
    b?: number,
  ): QMqttSubscription | null {
    const r = this.prepareSubscribe(topic, a, b);
    if (r instanceof Error) return null;
    return this.core.subscriber.subscribe(r.filter, r.qos, r.props);
  }

  /** Promise form of subscribe: resolves with the subscription on SUBACK, rejects with the reason code. */
  subscribeAsync(topic: TopicFilterLike, qos?: number): Promise<QMqttSubscription>;
  subscribeAsync(
    topic: TopicFilterLike,
    properties: QMqttSubscriptionProperties,
    qos?: number,
  ): Promise<QMqttSubscription>;
  subscribeAsync(
    topic: TopicFilterLike,
    a?: number | QMqttSubscriptionProperties,
    b?: number,
  ): Promise<QMqttSubscription> {
    const r = this.prepareSubscribe(topic, a, b);
    if (r instanceof Error) return Promise.reject(r);
    return this.deferred<QMqttSubscription>((d) =>
      this.core.subscriber.subscribe(r.filter, r.qos, r.props, d),
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
  setStateAndError(state: ClientState, error?: ClientError): void {
    if (error !== undefined) this.setError(error);
    if (state === this.p.state) return;
    this.p.state = state;
    this.stateChanged.emit(state);
    if (state === ClientState.Connected) this.connected.emit();
    else if (state === ClientState.Disconnected) this.disconnected.emit();
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

  // ---- private ---------------------------------------------------------------------------------------------

  private startConnect(ssl: SslConfiguration | undefined): QMqttError | undefined {
    if (this.p.state !== ClientState.Disconnected) return undefined;
    const device = this.device;
    let open: () => Promise<Duplex>;
    if (device) {
      this.device = undefined;
      open = () => Promise.resolve(device);
    } else {
      if (!this.p.hostname) {
        const e = new QMqttError('No hostname set and no transport given', ClientError.TransportInvalid);
        this.setError(ClientError.TransportInvalid);
        return e;
      }
      const host = this.p.hostname;
      if (ssl) {
        this.transportType = TransportType.SecureSocket;
        this.sslConfiguration = ssl;
        const port = this.p.port || 8883;
        open = () => openTls(host, port, ssl);
      } else {
        this.transportType = TransportType.AbstractSocket;
        const port = this.p.port || 1883;
        open = () => openTcp(host, port);
      }
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
    return undefined;
  }

  private connectAsync(ssl: SslConfiguration | undefined): Promise<boolean> {
    if (this.p.state === ClientState.Connected) return Promise.resolve(false);
    if (this.p.state === ClientState.Connecting) return this.core.connectWaiters.wait();
    const done = this.core.connectWaiters.wait();
    const err = this.startConnect(ssl);
    if (err) {
      this.core.connectWaiters.rejectAll(err);
    }
    return done;
  }

  private preparePublish(
    topic: TopicNameLike,
    a: QMqttPublishProperties | Payload | undefined,
    b: unknown,
    c: unknown,
    d: unknown,
  ): PublishPacket | QMqttError {
    let props: QMqttPublishProperties | undefined;
    let message: unknown, qos: unknown, retain: unknown;
    if (a instanceof QMqttPublishProperties) [props, message, qos, retain] = [a, b, c, d];
    else [message, qos, retain] = [a, b, c];
    const name = typeof topic === 'string' ? topic : topic.name();
    const topicProblem = validateTopicName(name);
    if (topicProblem) return new QMqttInvalidArgumentError(topicProblem);
    qos ??= 0;
    if (qos !== 0 && qos !== 1 && qos !== 2)
      return new QMqttInvalidArgumentError(`QoS must be 0, 1 or 2, got ${String(qos)}`);
    if (retain !== undefined && typeof retain !== 'boolean')
      return new QMqttInvalidArgumentError(`retain must be a boolean, got ${typeof retain}`);
    let payload: Buffer;
    if (message === undefined || message === null) payload = Buffer.alloc(0);
    else if (Buffer.isBuffer(message)) payload = message;
    else if (typeof message === 'string') payload = Buffer.from(message, 'utf8');
    else if (message instanceof Uint8Array)
      payload = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    else
      return new QMqttInvalidArgumentError(
        `The message must be a Buffer, Uint8Array or string, got ${typeof message}`,
      );
    if (this.p.state !== ClientState.Connected) return new QMqttNotConnectedError();
    const packet: PublishPacket = {
      cmd: 'publish',
      topic: name,
      payload,
      qos,
      retain: retain ?? false,
      dup: false,
    };
    if (props && this.p.protocolVersion === ProtocolVersion.MQTT_5_0) {
      const wire = publishPropertiesToWire(props);
      if (wire) packet.properties = wire;
    }
    if (qos > 0) {
      const id = this.core.session.ids.allocate();
      if (id === 0)
        return new QMqttError('All 65535 packet identifiers are in use', ClientError.UnknownError);
      packet.messageId = id;
    }
    return packet;
  }

  private prepareSubscribe(
    topic: TopicFilterLike,
    a: number | QMqttSubscriptionProperties | undefined,
    b: number | undefined,
  ):
    | { filter: QMqttTopicFilter; qos: 0 | 1 | 2; props: QMqttSubscriptionProperties | undefined }
    | QMqttError {
    const props = a instanceof QMqttSubscriptionProperties ? a : undefined;
    const qos = (a instanceof QMqttSubscriptionProperties ? b : a) ?? 0;
    const text = filterText(topic);
    const problem = validateTopicFilter(text);
    if (problem) return new QMqttInvalidArgumentError(problem);
    if (qos !== 0 && qos !== 1 && qos !== 2)
      return new QMqttInvalidArgumentError(`QoS must be 0, 1 or 2, got ${qos}`);
    if (this.p.state !== ClientState.Connected) return new QMqttNotConnectedError();
    return { filter: typeof topic === 'string' ? new QMqttTopicFilter(topic) : topic, qos, props };
  }

  private deferred<T>(start: (d: Deferred<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => start({ resolve, reject }));
  }
}

function filterText(topic: TopicFilterLike): string {
  return typeof topic === 'string' ? topic : topic.filter();
}

export type { QMqttMessage };
