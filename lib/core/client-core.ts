import type { Clock, TimerHandle } from '../clock';
import { buildConnectPacket, type ConnectConfig } from '../connect-config';
import { quickAckPolicy } from './quick-ack-policy';
import { quickAcker } from '../transport/quick-ack';
import { Connection } from '../connection/connection';
import { dispatch } from '../connection/dispatcher';
import { KeepAlive } from '../connection/keepalive';
import { QMqttError, QMqttNotConnectedError, QMqttProtocolError } from '../errors';
import type { Packet, PublishPacket } from '../packet/codec';
import {
  incomingPublishPropertiesProblem,
  outgoingPublishPropertiesProblem,
  publishPropertiesToWire,
  subscriptionProblem,
  ServerPropertyDetail,
  type QMqttServerConnectionProperties,
  type QMqttSubscriptionProperties,
  type QMqttUnsubscriptionProperties,
} from '../properties';
import { QMqttInvalidArgumentError } from '../errors';
import { varIntSize } from '../packet/size';
import { maximumPacketSize, publishOverLimits, subscribeOverLimits } from './limits';
import type { PublishArgs, SubscribeArgs } from './prepare';
import { subscribePacket } from './subscribe-packet';
import { InboundTopicAliases, OutboundTopicAliases } from './topic-aliases';
import { ReasonCode } from '../reason-codes';
import { Session, settlePublish } from '../session/session';
import type { SessionStore } from '../session/store';
import { ClientError, ClientState, ProtocolVersion } from '../state';
import type { QMqttSubscription, SubscriptionOwner } from '../subscription';
import { SubscriptionRegistry } from '../subscriptions';
import type { QMqttTopicFilter } from '../topic/topic-filter';
import type { CoreHost } from './host';
import { Outbox } from './outbox';
import { Waiters } from './pending';
import { InboundHold } from './inbound-hold';
import { Subscriber } from './subscriber';

/**
 * Default in-flight window for QoS 2 when the broker cannot announce one (3.1/3.1.1): a default mosquitto drops
 * incoming QoS 2 PUBLISHes beyond 20 in flight without a word (perf-anchor F2), EMQX beyond its
 * `max_awaiting_rel`. QoS 1 is not limited by default (perf-anchor F5: the window sets QoS 1 throughput).
 */
export const DEFAULT_INFLIGHT_WINDOW = 20;

/**
 * The protocol core behind the `QMqttClient` facade: one connection at a time, the session that outlives it,
 * the subscriptions, and the rules of the connection's life (handshake, keepalive, close exactly once).
 */
export class ClientCore implements SubscriptionOwner {
  readonly session: Session;
  readonly subscriptions = new SubscriptionRegistry();
  readonly outbox = new Outbox(this);
  readonly subscriber = new Subscriber(this);
  /** Inbound packets, held for a moment after a SUBACK settles a promise (see InboundHold). */
  readonly inbound = new InboundHold((p) => this.dispatchPacket(p));
  readonly connectWaiters = new Waiters<boolean>();
  readonly disconnectWaiters = new Waiters<void>();

  conn: Connection | undefined;
  /** CONNACK accepted on the current connection. */
  isConnected = false;
  protocolVersion: ProtocolVersion = ProtocolVersion.MQTT_3_1_1;
  /**
   * In-flight window for QoS 1/2. Under MQTT 5 the broker's Receive Maximum is the send quota, and this window
   * lowers it only when the application set one (`inflightWindowSet`). Under 3.1/3.1.1 a window the application
   * set is the quota; without one, only QoS 2 is held to it ({@link qos2Quota}).
   */
  inflightWindow = DEFAULT_INFLIGHT_WINDOW;
  inflightWindowSet = false;
  private serverReceiveMaximum = 65535;
  /** MQTT 5: what the last CONNACK said (undefined under 3.1.1 or before the first CONNACK). */
  serverProperties: QMqttServerConnectionProperties | undefined;
  /** MQTT 5: the client's own limits sent in CONNECT, enforced inbound. */
  private ownTopicAliasMaximum = 0;
  private ownMaximumPacketSize = 0;
  /** MQTT 5: the client's Receive Maximum, enforced on incoming QoS 2 awaiting PUBREL [MQTT-3.3.4-9]. */
  ownReceiveMaximum = 65535;
  /** MQTT 5: the authentication method of the CONNECT (enhanced authentication when non-empty). */
  authenticationMethod = '';
  cleanSessionRequested = true;
  aliasesOut: OutboundTopicAliases | undefined;
  private aliasesIn = new InboundTopicAliases();
  private keepAlive: KeepAlive | undefined;
  private connackTimer: TimerHandle | undefined;
  /** Incremented per attempt so that a late transport from an abandoned attempt is discarded. */
  private attempt = 0;
  private config: ConnectConfig | undefined;

  constructor(
    readonly host: CoreHost,
    readonly clock: Clock,
    store?: SessionStore,
  ) {
    this.session = new Session(store);
  }

  /** Send quota for QoS 1 and 2 together (MQTT 5 §4.9 Flow Control); 3.1/3.1.1 without a window: the ids. */
  sendQuota(): number {
    if (!this.inflightWindowSet)
      return this.protocolVersion === ProtocolVersion.MQTT_5_0
        ? Math.max(1, this.serverReceiveMaximum)
        : 65535;
    return Math.max(1, Math.min(this.inflightWindow, this.serverReceiveMaximum));
  }

  /** QoS 2 messages in flight at most: the default window under 3.1/3.1.1 (perf-anchor F2), else the quota. */
  qos2Quota(): number {
    if (this.protocolVersion !== ProtocolVersion.MQTT_5_0 && !this.inflightWindowSet)
      return this.inflightWindow;
    return this.sendQuota();
  }

  /** Starts a connection attempt with a snapshot of the client's properties. */
  connect(cfg: ConnectConfig): void {
    const attempt = ++this.attempt;
    this.config = cfg;
    this.protocolVersion = cfg.protocolVersion;
    this.serverReceiveMaximum = 65535;
    this.serverProperties = undefined;
    this.aliasesOut = undefined;
    this.aliasesIn = new InboundTopicAliases();
    const v5 = cfg.protocolVersion === ProtocolVersion.MQTT_5_0;
    this.ownTopicAliasMaximum = v5 ? cfg.connectionProperties.maximumTopicAlias() : 0;
    this.ownMaximumPacketSize = v5 ? cfg.connectionProperties.maximumPacketSize() : 0;
    this.ownReceiveMaximum = v5 ? cfg.connectionProperties.maximumReceive() : 65535;
    this.authenticationMethod = v5 ? cfg.connectionProperties.authenticationMethod() : '';
    this.cleanSessionRequested = cfg.cleanSession;
    this.host.setStateAndError(ClientState.Connecting, ClientError.NoError);
    // the timeout covers opening the transport too: a host that never answers must not wait for the OS
    this.connackTimer = this.clock.setTimer(() => {
      this.connackTimer = undefined;
      this.closeWith(
        new QMqttError(`No CONNACK within ${cfg.connectTimeout} ms`, ClientError.TransportInvalid),
      );
    }, cfg.connectTimeout);
    cfg.openTransport().then(
      (stream) => {
        if (attempt !== this.attempt) {
          stream.destroy();
          return;
        }
        this.conn = new Connection(
          stream,
          cfg.protocolVersion,
          this.clock,
          {
            packet: (p) => this.onPacket(p),
            closed: (e) => this.onClosed(e),
            drain: () => this.outbox.pump(),
            malformed: (e) => this.protocolViolation(e.message, e.reasonCode ?? ReasonCode.MalformedPacket),
          },
          quickAckPolicy(cfg.tcpQuickAck && quickAcker(stream), () => this.awaitingAnswer(), this.clock),
        );
        this.conn.send(buildConnectPacket(cfg));
      },
      (err: unknown) => {
        if (attempt !== this.attempt) return;
        const msg = err instanceof Error ? err.message : String(err);
        this.finishClosed(new QMqttError(`Cannot open the connection: ${msg}`, ClientError.TransportInvalid));
      },
    );
  }

  /** An answer of the broker is awaited: a PUBACK / PUBREC / PUBCOMP, SUBACK or UNSUBACK. */
  private awaitingAnswer(): boolean {
    return this.session.inflight.size > 0 || this.subscriber.awaitingAck;
  }

  /** CONNACK with success: the connection is up. */
  onConnected(sessionPresentFlag: boolean): void {
    const cfg = this.config!;
    // MQTT 3.1 has no Session Present flag: with cleanSession false the broker keeps the session (3.1 §3.1)
    const sessionPresent =
      sessionPresentFlag || (cfg.protocolVersion === ProtocolVersion.MQTT_3_1 && !cfg.cleanSession);
    this.connackTimer?.cancel();
    this.connackTimer = undefined;
    this.isConnected = true;
    const conn = this.conn!;
    // [MQTT-3.2.2-21] v5: the Server Keep Alive replaces the value we asked for
    const keepAliveSeconds = this.serverProperties
      ? serverKeepAliveOr(this.serverProperties, cfg.keepAlive)
      : cfg.keepAlive;
    this.keepAlive = new KeepAlive(
      this.clock,
      keepAliveSeconds * 1000,
      cfg.autoKeepAlive,
      () => conn.lastSentAt,
      () => this.sendPing(),
      () =>
        this.closeWith(
          new QMqttError('The broker did not answer PINGREQ in time', ClientError.TransportInvalid),
        ),
    );
    this.keepAlive.start();
    if (sessionPresent) this.outbox.resendInflight();
    else
      for (const m of this.session.restartAfterSessionLoss())
        settlePublish(m.settle, null, { id: m.packet.messageId!, reasonCode: 0 });
    this.outbox.countQos2InFlight();
    if (this.protocolVersion === ProtocolVersion.MQTT_5_0 && this.serverProperties)
      this.outbox.refuseQueuedOverLimits(this.serverProperties);
    this.subscriber.restore(sessionPresent);
    this.host.setStateAndError(ClientState.Connected);
    if (sessionPresentFlag && !cfg.cleanSession) this.host.brokerSessionRestored.emit();
    this.connectWaiters.resolveAll(sessionPresentFlag);
    this.outbox.pump();
  }

  /** v5 CONNACK limits the client must honour. */
  applyServerLimits(props: QMqttServerConnectionProperties): void {
    this.serverProperties = props;
    this.serverReceiveMaximum = props.maximumReceive();
    const aliasMax = props.maximumTopicAlias();
    this.aliasesOut = aliasMax > 0 ? new OutboundTopicAliases(aliasMax) : undefined;
  }

  /**
   * Why a publish must not be sent under what the broker announced, or undefined (MQTT 5 §3.2.2.3): a forbidden
   * property, QoS above Maximum QoS [MQTT-3.2.2-11], retain where Retain Available is 0 [MQTT-3.2.2-14], a
   * packet over Maximum Packet Size [MQTT-3.2.2-15]. Nothing goes on the wire in those cases. Requests queued
   * before a CONNACK are checked again against it ({@link Outbox.refuseQueuedOverLimits}).
   */
  checkPublish(args: PublishArgs, packet: PublishPacket): QMqttError | undefined {
    if (this.protocolVersion !== ProtocolVersion.MQTT_5_0) return undefined;
    const server = this.serverProperties;
    if (args.properties) {
      const problem = outgoingPublishPropertiesProblem(args.properties, server);
      if (problem) return new QMqttInvalidArgumentError(`Cannot publish: ${problem}`);
    }
    return server ? publishOverLimits(packet, server) : undefined;
  }

  /** PUBLISH properties as written (MQTT 5 only). */
  publishWireProperties(args: PublishArgs) {
    if (this.protocolVersion !== ProtocolVersion.MQTT_5_0 || !args.properties) return undefined;
    return publishPropertiesToWire(args.properties);
  }

  /** The server's Maximum Packet Size from this connection's CONNACK (MQTT 5), or 0 for none. */
  serverMaximumPacketSize(): number {
    return this.serverProperties ? maximumPacketSize(this.serverProperties) : 0;
  }

  /** Why a subscription must not be requested under what the broker announced, or undefined. */
  checkSubscribe(args: SubscribeArgs): QMqttError | undefined {
    if (this.protocolVersion !== ProtocolVersion.MQTT_5_0) return undefined;
    const problem = subscriptionProblem(args.filter, args.properties);
    if (problem) return new QMqttInvalidArgumentError(`Cannot subscribe: ${problem}`);
    return this.subscriptionOverLimits(args.filter, args.qos, args.properties);
  }

  /** {@link checkSubscribe} again for a subscription requested before this connection's CONNACK (MQTT 5). */
  recheckSubscription(sub: QMqttSubscription): QMqttError | undefined {
    if (this.protocolVersion !== ProtocolVersion.MQTT_5_0) return undefined;
    return this.subscriptionOverLimits(sub.fullTopic(), sub.qos() as 0 | 1 | 2, sub.properties);
  }

  /** The CONNACK's limits for a one-filter SUBSCRIBE (none known yet: undefined). */
  private subscriptionOverLimits(
    filter: QMqttTopicFilter,
    qos: 0 | 1 | 2,
    properties: QMqttSubscriptionProperties | undefined,
  ): QMqttError | undefined {
    const server = this.serverProperties;
    if (!server) return undefined;
    const packet = subscribePacket(1, [filter.filter()], [qos], [properties], true);
    return subscribeOverLimits(filter, properties, packet, server);
  }

  /** Sends DISCONNECT (when connected) and closes. `reasonCode` is MQTT 5 only. */
  disconnect(reasonCode = 0): void {
    this.attempt++;
    const conn = this.conn;
    if (conn && this.isConnected) {
      if (this.protocolVersion === ProtocolVersion.MQTT_5_0 && reasonCode !== 0)
        conn.send({ cmd: 'disconnect', reasonCode });
      else conn.send({ cmd: 'disconnect' });
    }
    if (conn) conn.close(null);
    else if (this.config) this.finishClosed(null);
  }

  /** A malformed or forbidden packet: v5 says why in a DISCONNECT first, then the connection closes. */
  protocolViolation(message: string, reasonCode: number): void {
    const conn = this.conn;
    if (conn && this.protocolVersion === ProtocolVersion.MQTT_5_0 && !conn.closed)
      conn.send({ cmd: 'disconnect', reasonCode });
    this.closeWith(new QMqttProtocolError(message, reasonCode));
  }

  /** Closes the connection with an error (keeps the session). */
  closeWith(error: QMqttError, serverReference?: string): void {
    if (
      serverReference &&
      (error.reasonCode === ReasonCode.UseAnotherServer || error.reasonCode === ReasonCode.ServerMoved)
    )
      this.host.applyServerRedirect(serverReference);
    if (this.conn && !this.conn.closed) {
      // let a DISCONNECT written just before leave, then drop the socket
      this.conn.close(error);
    } else if (this.config) this.finishClosed(error);
  }

  /** Sends PINGREQ; false when not connected. */
  sendPing(): boolean {
    if (!this.conn || !this.isConnected) return false;
    this.conn.send({ cmd: 'pingreq' });
    this.keepAlive?.pingSent();
    return true;
  }

  onPingResponse(): void {
    this.keepAlive?.pongReceived();
    this.host.pingResponseReceived.emit();
  }

  /** Topic of an incoming PUBLISH; MQTT 5 topic aliases are resolved by the v5 layer. */
  resolveInboundTopic(packet: PublishPacket): string | undefined {
    if (this.protocolVersion !== ProtocolVersion.MQTT_5_0) return packet.topic;
    const problem = incomingPublishPropertiesProblem(packet.properties, this.ownTopicAliasMaximum);
    if (problem) {
      this.protocolViolation(problem, ReasonCode.TopicAliasInvalid);
      return undefined;
    }
    const topic = this.aliasesIn.resolve(packet.topic, packet.properties?.topicAlias);
    if (topic === undefined || topic === '') {
      this.protocolViolation(
        `PUBLISH with an empty topic and unknown topic alias ${packet.properties?.topicAlias ?? '(none)'} [MQTT-3.3.4-1]`,
        ReasonCode.ProtocolError,
      );
      return undefined;
    }
    return topic;
  }

  /** SubscriptionOwner: `QMqttSubscription.unsubscribe()`. */
  unsubscribeSubscription(sub: QMqttSubscription, properties?: QMqttUnsubscriptionProperties): void {
    this.subscriber.unsubscribe(sub, properties);
  }

  private onPacket(p: Packet): void {
    // [MQTT-3.1.2-24] v5: the server must not send more than our Maximum Packet Size
    if (this.ownMaximumPacketSize > 0 && p.length !== undefined && p.length + 5 > this.ownMaximumPacketSize) {
      const total = p.length + 1 + varIntSize(p.length);
      if (total > this.ownMaximumPacketSize) {
        this.protocolViolation(
          `Received a ${total}-byte ${p.cmd.toUpperCase()} above our Maximum Packet Size ${this.ownMaximumPacketSize}`,
          ReasonCode.PacketTooLarge,
        );
        return;
      }
    }
    this.inbound.accept(p);
  }

  private dispatchPacket(p: Packet): void {
    try {
      dispatch(this, p);
    } catch (e) {
      // a defect in a handler must not escape into the socket's event loop
      this.protocolViolation(
        `Cannot handle ${p.cmd.toUpperCase()}: ${e instanceof Error ? e.message : String(e)}`,
        ReasonCode.ImplementationSpecificError,
      );
    }
  }

  private onClosed(error: QMqttError | null): void {
    this.inbound.release(); // messages that arrived before the end are delivered first
    this.conn = undefined;
    this.finishClosed(error);
  }

  /** Common end of every connection or attempt. State and error first, then the signals and promises. */
  private finishClosed(error: QMqttError | null): void {
    this.attempt++;
    this.connackTimer?.cancel();
    this.connackTimer = undefined;
    this.keepAlive?.stop();
    this.keepAlive = undefined;
    this.config = undefined;
    this.isConnected = false;
    const failure = error ?? new QMqttNotConnectedError('Disconnected');
    this.subscriber.connectionLost(failure);
    if (!error) this.subscriber.rejectAwaiting(failure);
    this.host.setStateAndError(
      ClientState.Disconnected,
      error ? error.clientError : undefined,
      error ?? undefined,
    );
    this.connectWaiters.rejectAll(failure);
    this.disconnectWaiters.resolveAll();
  }
}

/** The keep alive in force: the server's when CONNACK carried Server Keep Alive (0x13), else ours. */
function serverKeepAliveOr(server: QMqttServerConnectionProperties, own: number): number {
  return server.availableProperties() & ServerPropertyDetail.ServerKeepAlive ? server.serverKeepAlive() : own;
}
