/**
 * The subscriptions the user nodes of one broker want, counted per filter: several `qmqtt-in` nodes may share a
 * filter, and the broker is told to unsubscribe only when the last of them goes. The client keeps its own
 * subscriptions across reconnects; this registry (re)makes the ones the client could not make while it was
 * disconnected.
 */
import {
  QMqttSubscriptionProperties,
  validateTopicFilter,
  type QMqttClient,
  type QMqttMessage,
  type QMqttSubscription,
  type SignalConnection,
} from '../../lib';
import type { SubscriptionOptions } from './config';

export type MessageHandler = (m: QMqttMessage) => void;

interface Entry {
  filter: string;
  options: SubscriptionOptions;
  owners: Map<string, MessageHandler>;
  sub: QMqttSubscription | null;
  listener: SignalConnection | undefined;
}

export class SubscriptionRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly client: QMqttClient,
    private readonly v5: () => boolean,
  ) {}

  /** Adds `owner`'s interest in `filter`; throws for an invalid filter. */
  add(filter: string, options: SubscriptionOptions, owner: string, handler: MessageHandler): void {
    const problem = validateTopicFilter(filter);
    if (problem) throw new Error(`invalid topic filter "${filter}": ${problem}`);
    let e = this.entries.get(filter);
    if (!e) {
      e = { filter, options, owners: new Map(), sub: null, listener: undefined };
      this.entries.set(filter, e);
    }
    e.owners.set(owner, handler);
    this.ensure(e);
  }

  /** Removes `owner`'s interest; the last owner of a filter unsubscribes it. */
  remove(filter: string, owner: string): void {
    const e = this.entries.get(filter);
    if (!e || !e.owners.delete(owner)) return;
    if (e.owners.size > 0) return;
    this.entries.delete(filter);
    e.listener?.disconnect();
    if (e.sub) this.client.unsubscribe(filter);
  }

  /** Makes the subscriptions that are missing (called on every `connected`). */
  ensureAll(): void {
    for (const e of this.entries.values()) this.ensure(e);
  }

  /** Drops every listener (the client is being discarded). */
  clear(): void {
    for (const e of this.entries.values()) e.listener?.disconnect();
    this.entries.clear();
  }

  private ensure(e: Entry): void {
    const o = e.options;
    let sub: QMqttSubscription | null;
    if (this.v5()) {
      const p = new QMqttSubscriptionProperties();
      p.setNoLocal(o.nl);
      p.setRetainAsPublished(o.rap);
      p.setRetainHandling(o.rh);
      if (o.subscriptionIdentifier > 0) p.setSubscriptionIdentifier(o.subscriptionIdentifier);
      sub = this.client.subscribe(e.filter, p, o.qos);
    } else {
      sub = this.client.subscribe(e.filter, o.qos);
    }
    if (!sub || sub === e.sub) return;
    e.listener?.disconnect();
    e.sub = sub;
    e.listener = sub.messageReceived.connect((m) => {
      for (const h of e.owners.values()) h(m);
    });
  }
}
