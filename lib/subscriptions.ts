import type { QMqttMessage } from './message';
import { QMqttSubscription } from './subscription';
import { TopicMatcher } from './topic/matcher';

/**
 * The client's subscriptions: one object per filter string (subscribing twice returns the same object) and a
 * precomputed matcher that finds the subscriptions of an incoming topic without scanning them all.
 */
export class SubscriptionRegistry {
  private readonly byFilter = new Map<string, QMqttSubscription>();
  private readonly matcher = new TopicMatcher<QMqttSubscription>();

  get(filter: string): QMqttSubscription | undefined {
    return this.byFilter.get(filter);
  }

  add(sub: QMqttSubscription): void {
    const filter = sub.fullTopic().filter();
    this.byFilter.set(filter, sub);
    this.matcher.add(filter, sub);
  }

  remove(sub: QMqttSubscription): void {
    const filter = sub.fullTopic().filter();
    if (this.byFilter.get(filter) !== sub) return;
    this.byFilter.delete(filter);
    this.matcher.remove(filter, sub);
  }

  all(): QMqttSubscription[] {
    return [...this.byFilter.values()];
  }

  get size(): number {
    return this.byFilter.size;
  }

  /** Hands `message` to every subscription whose filter matches `topic`. */
  deliver(topic: string, message: QMqttMessage): void {
    const matches = this.matcher.match(topic);
    for (let i = 0; i < matches.length; i++) matches[i]!.deliver(message);
  }
}
