import { Signal } from './signal';
import { SubscriptionState } from './state';
import { QMqttTopicFilter } from './topic/topic-filter';
import type { QMqttMessage } from './message';
import { QMqttUserProperties } from './properties';
import type { QMqttSubscriptionProperties } from './properties';
import type { QMqttUnsubscriptionProperties } from './properties';

/** What a subscription needs from its client; implemented by the client core. */
export interface SubscriptionOwner {
  unsubscribeSubscription(sub: QMqttSubscription, properties?: QMqttUnsubscriptionProperties): void;
}

/**
 * One subscription to a topic filter (`QMqttSubscription`). Made by `QMqttClient.subscribe`, owned by the
 * client; subscribing again to the same filter returns the same object.
 */
export class QMqttSubscription {
  /** Qt: `QMqttSubscription::SubscriptionState`. */
  static readonly SubscriptionState = SubscriptionState;

  // Signals and the user-property list are made on first use: a client may hold 10,000 subscriptions.
  private stateSignal: Signal<[state: SubscriptionState]> | undefined;
  private qosSignal: Signal<[qos: number]> | undefined;
  private messageSignal: Signal<[message: QMqttMessage]> | undefined;

  /** The state moved. */
  get stateChanged(): Signal<[state: SubscriptionState]> {
    return (this.stateSignal ??= new Signal('stateChanged'));
  }
  /** The broker granted a QoS different from the one requested. */
  get qosChanged(): Signal<[qos: number]> {
    return (this.qosSignal ??= new Signal('qosChanged'));
  }
  /** A message matching this filter arrived. */
  get messageReceived(): Signal<[message: QMqttMessage]> {
    return (this.messageSignal ??= new Signal('messageReceived'));
  }

  private currentState = SubscriptionState.Unsubscribed;
  private grantedQos: number;
  private lastReasonCode = 0;
  private lastReason = '';
  private lastUserProperties: QMqttUserProperties | undefined;

  /** @internal */
  constructor(
    private readonly owner: SubscriptionOwner,
    private readonly topicFilter: QMqttTopicFilter,
    requestedQos: number,
    /** @internal the options it was made with, for re-subscribing after a lost session */
    public properties: QMqttSubscriptionProperties | undefined,
  ) {
    this.grantedQos = requestedQos;
  }

  /** Current lifecycle state. */
  state(): SubscriptionState {
    return this.currentState;
  }

  /** The topic filter subscribed to; for a shared subscription, without the `$share/<name>/` prefix (as Qt). */
  topic(): QMqttTopicFilter {
    return this.topicFilter.isSharedSubscription()
      ? new QMqttTopicFilter(this.topicFilter.unsharedFilter())
      : this.topicFilter;
  }

  /** The full filter as given to subscribe, `$share/…` prefix included. */
  fullTopic(): QMqttTopicFilter {
    return this.topicFilter;
  }

  /** The highest QoS messages arrive at: the requested QoS until the broker granted one. */
  qos(): number {
    return this.grantedQos;
  }

  /** Code of the last SUBACK/UNSUBACK entry: the granted QoS on success or an error code (≥ 0x80). */
  reasonCode(): number {
    return this.lastReasonCode;
  }

  /** MQTT 5: reason string of the last SUBACK/UNSUBACK. */
  reason(): string {
    return this.lastReason;
  }

  /** MQTT 5: user properties of the last SUBACK/UNSUBACK. */
  userProperties(): QMqttUserProperties {
    return (this.lastUserProperties ??= new QMqttUserProperties());
  }

  /** True for a `$share/<name>/<filter>` subscription. */
  isSharedSubscription(): boolean {
    return this.topicFilter.isSharedSubscription();
  }

  /** The `<name>` of a shared subscription, else empty. */
  sharedSubscriptionName(): string {
    return this.topicFilter.sharedSubscriptionName();
  }

  /** Asks the client to unsubscribe this filter. */
  unsubscribe(properties?: QMqttUnsubscriptionProperties): void {
    this.owner.unsubscribeSubscription(this, properties);
  }

  /** @internal delivers a message to this subscription's listeners */
  deliver(message: QMqttMessage): void {
    this.messageSignal?.emit(message);
  }

  /** @internal */
  setState(state: SubscriptionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.stateSignal?.emit(state);
  }

  /** @internal */
  setAck(reasonCode: number, reason: string, userProperties: QMqttUserProperties): void {
    this.lastReasonCode = reasonCode;
    this.lastReason = reason;
    this.lastUserProperties = userProperties.length > 0 ? userProperties : undefined;
    if (reasonCode < 0x80 && reasonCode !== this.grantedQos) {
      this.grantedQos = reasonCode;
      this.qosSignal?.emit(reasonCode);
    }
  }
}
