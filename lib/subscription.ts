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

/** The parts of a subscription most never use, made on first use (a client may hold 10,000 subscriptions). */
interface SubscriptionExtras {
  stateSignal?: Signal<[state: SubscriptionState]>;
  qosSignal?: Signal<[qos: number]>;
  reason?: string;
  userProperties?: QMqttUserProperties;
  properties?: QMqttSubscriptionProperties;
}

/**
 * One subscription to a topic filter (`QMqttSubscription`). Made by `QMqttClient.subscribe`, owned by the
 * client; subscribing again to the same filter returns the same object.
 */
export class QMqttSubscription {
  /** Qt: `QMqttSubscription::SubscriptionState`. */
  static readonly SubscriptionState = SubscriptionState;

  // Kept small: the filter as text (a QMqttTopicFilter is made when asked for), the message signal on first
  // use, everything else rarely used in `extras`.
  private readonly filterText: string;
  private messageSignal: Signal<[message: QMqttMessage]> | undefined = undefined;
  private currentState = SubscriptionState.Unsubscribed;
  private grantedQos: number;
  private lastReasonCode = 0;
  private extras: SubscriptionExtras | undefined = undefined;

  /** @internal */
  constructor(
    private readonly owner: SubscriptionOwner,
    topicFilter: QMqttTopicFilter,
    requestedQos: number,
    properties: QMqttSubscriptionProperties | undefined,
  ) {
    this.filterText = topicFilter.filter();
    this.grantedQos = requestedQos;
    if (properties) this.properties = properties;
  }

  /** The state moved. */
  get stateChanged(): Signal<[state: SubscriptionState]> {
    return (this.more().stateSignal ??= new Signal('stateChanged'));
  }
  /** The broker granted a QoS different from the one requested. */
  get qosChanged(): Signal<[qos: number]> {
    return (this.more().qosSignal ??= new Signal('qosChanged'));
  }
  /** A message matching this filter arrived. */
  get messageReceived(): Signal<[message: QMqttMessage]> {
    return (this.messageSignal ??= new Signal('messageReceived'));
  }

  /** @internal the options it was made with, for re-subscribing after a lost session */
  get properties(): QMqttSubscriptionProperties | undefined {
    return this.extras?.properties;
  }
  set properties(value: QMqttSubscriptionProperties | undefined) {
    if (value !== undefined || this.extras !== undefined) this.more().properties = value;
  }

  /** Current lifecycle state. */
  state(): SubscriptionState {
    return this.currentState;
  }

  /** The topic filter subscribed to; for a shared subscription, without the `$share/<name>/` prefix (as Qt). */
  topic(): QMqttTopicFilter {
    const full = this.fullTopic();
    return full.isSharedSubscription() ? new QMqttTopicFilter(full.unsharedFilter()) : full;
  }

  /** The full filter as given to subscribe, `$share/…` prefix included (a copy: changing it changes nothing). */
  fullTopic(): QMqttTopicFilter {
    return new QMqttTopicFilter(this.filterText);
  }

  /** @internal the full filter text, without making a QMqttTopicFilter */
  filter(): string {
    return this.filterText;
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
    return this.extras?.reason ?? '';
  }

  /** MQTT 5: user properties of the last SUBACK/UNSUBACK. */
  userProperties(): QMqttUserProperties {
    return (this.more().userProperties ??= new QMqttUserProperties());
  }

  /** True for a `$share/<name>/<filter>` subscription. */
  isSharedSubscription(): boolean {
    return this.fullTopic().isSharedSubscription();
  }

  /** The `<name>` of a shared subscription, else empty. */
  sharedSubscriptionName(): string {
    return this.fullTopic().sharedSubscriptionName();
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
    this.extras?.stateSignal?.emit(state);
  }

  /** @internal */
  setAck(reasonCode: number, reason: string, userProperties: QMqttUserProperties): void {
    this.lastReasonCode = reasonCode;
    if (reason !== '' || userProperties.length > 0 || this.extras?.reason || this.extras?.userProperties) {
      const x = this.more();
      x.reason = reason;
      x.userProperties = userProperties.length > 0 ? userProperties : undefined;
    }
    if (reasonCode < 0x80 && reasonCode !== this.grantedQos) {
      this.grantedQos = reasonCode;
      this.extras?.qosSignal?.emit(reasonCode);
    }
  }

  private more(): SubscriptionExtras {
    return (this.extras ??= {});
  }
}
