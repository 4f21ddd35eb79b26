import { QMqttClientConnection } from './client-connection';
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
import { QMqttError, QMqttInvalidArgumentError, QMqttNotConnectedError } from './errors';
import type { PublishPacket } from './packet/codec';
import {
  QMqttAuthenticationProperties,
  QMqttPublishProperties,
  QMqttSubscriptionProperties,
  QMqttUnsubscriptionProperties,
  authPropertiesToWire,
} from './properties';
import type { PublishOutcome, PublishSettle } from './session/session';
import { ClientError, ClientState, ProtocolVersion } from './state';
import type { QMqttSubscription } from './subscription';

export type { Payload, TopicNameLike, TopicFilterLike };
export type { QMqttClientOptions } from './client-connection';

/** Result of a publish acknowledged by the broker (`publishAsync`). */
export type PublishResult = PublishOutcome;

/**
 * An MQTT 3.1 / 3.1.1 / 5.0 client with the API of Qt's `QMqttClient`. Configure it with the setters while
 * Disconnected, call `connectToHost`, then publish and subscribe. Every asynchronous operation has a
 * promise form (`…Async`) that settles on the broker's answer and rejects with a {@link QMqttError}.
 */
export class QMqttClient extends QMqttClientConnection {
  private offlineLimits = { messages: 1000, bytes: 16 * 1024 * 1024 };

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
    // the promise's own functions are the waiter (no closure per message around them)
    return new Promise((resolve, reject) => this.core.outbox.submit(r, { resolve, reject }));
  }

  /**
   * @internal publishAsync with a callback, for qmqtt-out: a QoS 1/2 message in flight then holds one function
   * instead of two promises, their resolving functions and the handlers on them (less for the garbage
   * collector while thousands await their acknowledgement). `done` is called once, as the promise would settle.
   */
  publishWithCallback(
    topic: string,
    properties: QMqttPublishProperties | undefined,
    message: Payload,
    qos: number,
    retain: boolean,
    done: PublishSettle,
  ): void {
    const r = properties
      ? this.preparePublish(topic, properties, message, qos, retain)
      : this.preparePublish(topic, message, qos, retain, undefined);
    if (r instanceof Error) queueMicrotask(() => done(r));
    else this.core.outbox.submit(r, done);
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
    // the waiter is the promise's own functions (no closure per call around the subscriber call)
    let d!: Deferred<QMqttSubscription>;
    const promise = new Promise<QMqttSubscription>((resolve, reject) => (d = { resolve, reject }));
    try {
      this.core.subscriber.subscribe(r.filter, r.qos, r.properties, d);
    } catch (e) {
      d.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return promise;
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

  // ---- private ---------------------------------------------------------------------------------------------

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
    const packet = publishPacket(args, this.core.publishWireProperties(args));
    const problem = this.core.checkPublish(args, packet);
    if (problem) return problem;
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
