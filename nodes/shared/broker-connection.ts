/**
 * What a `qmqtt-broker` config node owns: one QMqttClient shared by its user nodes, connected when the first
 * user starts (unless "connect on msg.action" is chosen) and disconnected when the last one closes, with birth
 * and close messages, status dots for every user and the subscription registry.
 */
import {
  ClientState,
  ProtocolVersion,
  QMqttClient,
  QMqttPublishProperties,
  type SslConfiguration,
  FileSessionStore,
} from '../../lib';
import type { BrokerConfig, BrokerCredentials, PresetMessage } from './config';
import { createClient } from './client-setup';
import { Listeners } from './listeners';
import type { NodeStatus } from './node-red-types';
import { applyProperties, type ClientPropertyValues } from './properties';
import { statusForState, errorStatus } from './status';
import { SubscriptionRegistry } from './subscriptions';

/** A node that uses the connection: it is told its status. */
export interface ConnectionUser {
  readonly id: string;
  status(s: NodeStatus): void;
}

export interface ConnectionHost {
  log(msg: string): void;
  error(err: unknown): void;
  t(key: string, subs?: Record<string, string | number>): string;
}

/** Longest wait for the close message's acknowledgement before disconnecting anyway. */
const CLOSE_MESSAGE_TIMEOUT_MS = 5000;

export class BrokerConnection {
  readonly client: QMqttClient;
  readonly subscriptions: SubscriptionRegistry;
  private readonly users = new Map<string, ConnectionUser>();
  private readonly listeners = new Listeners();
  private pending: ClientPropertyValues | undefined;
  private wanted = false;
  private closed = false;
  private lastStatus: NodeStatus;

  constructor(
    readonly config: BrokerConfig,
    creds: Partial<BrokerCredentials>,
    private readonly tls: SslConfiguration,
    private readonly host: ConnectionHost,
    private readonly store?: FileSessionStore,
  ) {
    this.client = createClient(config, creds, store);
    this.subscriptions = new SubscriptionRegistry(this.client, () => this.v5());
    this.lastStatus = statusForState(ClientState.Disconnected, !config.autoConnect);
    const c = this.client;
    this.listeners.on(c.stateChanged, (s) => {
      const err = c.lastErrorDetail();
      this.setStatus(
        s === ClientState.Disconnected && err && this.wanted
          ? errorStatus(err.message)
          : statusForState(s, !this.wanted),
      );
    });
    this.listeners.on(c.connected, () => this.onConnected());
    this.listeners.on(c.disconnected, () => this.onDisconnected());
    this.listeners.on(c.reconnecting, (attempt, delay) =>
      this.setStatus({
        fill: 'yellow',
        shape: 'ring',
        text: host.t('qmqtt-broker.status.reconnecting', { attempt, seconds: Math.round(delay / 100) / 10 }),
      }),
    );
    this.listeners.on(c.errorOccurred, (e) =>
      this.host.log(this.host.t('qmqtt-broker.state.error', { broker: this.label(), error: e.message })),
    );
  }

  v5(): boolean {
    return this.client.protocolVersion() === ProtocolVersion.MQTT_5_0;
  }

  /** `host:port` (never credentials), for logs. */
  label(): string {
    return `${this.client.hostname()}:${this.client.port()}`;
  }

  get userCount(): number {
    return this.users.size;
  }

  register(user: ConnectionUser): void {
    this.users.set(user.id, user);
    user.status(this.lastStatus);
    if (this.users.size === 1 && this.config.autoConnect) this.connect();
  }

  /** Removes a user; the last one disconnects the client. */
  async deregister(user: ConnectionUser): Promise<void> {
    this.users.delete(user.id);
    if (this.users.size === 0) await this.disconnect();
  }

  /** Opens the connection with the configured transport (no-op unless Disconnected). */
  connect(): void {
    if (this.closed) return;
    this.wanted = true;
    if (this.client.state() !== ClientState.Disconnected) return;
    this.applyPending();
    const { transport, wsPath } = this.config;
    if (transport === 'tls') this.client.connectToHostEncrypted(this.tls);
    else if (transport === 'ws') this.client.connectToHostWebSocket({ path: wsPath });
    else if (transport === 'wss')
      this.client.connectToHostWebSocketEncrypted({ path: wsPath, tls: this.tls });
    else this.client.connectToHost();
  }

  /** Sends the close message (when configured and connected), then DISCONNECT. Stops reconnecting. */
  async disconnect(): Promise<void> {
    this.wanted = false;
    const c = this.client;
    if (c.state() === ClientState.Connected && this.config.close) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.publishPreset(this.config.close).catch((e: unknown) => this.host.error(e)),
        new Promise<void>((r) => (timer = setTimeout(r, CLOSE_MESSAGE_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
    }
    await c.disconnectFromHostAsync();
    if (c.state() === ClientState.Disconnected)
      this.setStatus(statusForState(ClientState.Disconnected, true));
  }

  /** Properties to set on the client: now when Disconnected, otherwise on the next connect. */
  setProperties(values: ClientPropertyValues): void {
    this.pending = { ...this.pending, ...values };
    if (this.client.state() === ClientState.Disconnected) this.applyPending();
  }

  /** The config node closes: everything is removed and the client discarded. */
  async close(): Promise<void> {
    this.closed = true;
    this.users.clear();
    await this.disconnect();
    this.subscriptions.clear();
    this.listeners.clear();
    this.store?.close(); // what is still queued or in flight stays in the file for the next start
  }

  private applyPending(): void {
    if (!this.pending) return;
    const p = this.pending;
    this.pending = undefined;
    try {
      applyProperties(this.client, p);
    } catch (e) {
      this.host.error(e);
    }
  }

  private onConnected(): void {
    this.host.log(this.host.t('qmqtt-broker.state.connected', { broker: this.label() }));
    this.subscriptions.ensureAll();
    if (this.config.birth) this.publishPreset(this.config.birth).catch((e: unknown) => this.host.error(e));
  }

  private onDisconnected(): void {
    this.host.log(this.host.t('qmqtt-broker.state.disconnected', { broker: this.label() }));
    this.applyPending();
  }

  private setStatus(s: NodeStatus): void {
    this.lastStatus = s;
    for (const u of this.users.values()) u.status(s);
  }

  private publishPreset(m: PresetMessage): Promise<unknown> {
    if (!this.v5()) return this.client.publishAsync(m.topic, m.payload, m.qos, m.retain);
    const p = new QMqttPublishProperties();
    if (m.contentType) p.setContentType(m.contentType);
    if (m.responseTopic) p.setResponseTopic(m.responseTopic);
    if (m.correlationData) p.setCorrelationData(m.correlationData);
    if (m.messageExpiryInterval !== undefined) p.setMessageExpiryInterval(m.messageExpiryInterval);
    if (Object.keys(m.userProperties).length) p.setUserProperties(m.userProperties);
    return this.client.publishAsync(m.topic, p, m.payload, m.qos, m.retain);
  }
}
