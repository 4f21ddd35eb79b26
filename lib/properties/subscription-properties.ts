/**
 * `QMqttSubscriptionProperties`: the properties and subscription options of SUBSCRIBE (MQTT 5 only;
 * MQTT 5.0 §3.8.2.1, §3.8.3.1). Beyond Qt: Retain As Published and Retain Handling.
 */
import { QMqttUserProperties, type UserPropertiesInit } from './user-properties';
import { MAX_VARIABLE_BYTE_INT, checkBool, checkInt } from './validate';

/** The Retain Handling subscription option (MQTT 5.0 §3.8.3.1). */
export enum RetainHandling {
  /** Send retained messages when the subscription is made. */
  SendOnSubscribe = 0,
  /** Send retained messages only when the subscription did not exist yet. */
  SendOnSubscribeIfNew = 1,
  /** Never send retained messages for this subscription. */
  DoNotSend = 2,
}

/** @internal The values behind a {@link QMqttSubscriptionProperties}. */
export interface SubscriptionData {
  subscriptionIdentifier: number;
  userProperties: QMqttUserProperties;
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: RetainHandling;
}

/** Passed to `subscribe(filter, properties, qos)`. Setters check their argument and throw `TypeError` / `RangeError`. */
export class QMqttSubscriptionProperties {
  /** @internal */
  readonly d: SubscriptionData = {
    subscriptionIdentifier: 0,
    userProperties: new QMqttUserProperties(),
    noLocal: false,
    retainAsPublished: false,
    retainHandling: RetainHandling.SendOnSubscribe,
  };

  /** Subscription Identifier (0x0B), echoed by the server in matching PUBLISHes. Default 0: none. */
  subscriptionIdentifier(): number {
    return this.d.subscriptionIdentifier;
  }

  /** 0 (none) or 1..268435455, the Variable Byte Integer range (MQTT 5.0 §3.8.2.1.2). */
  setSubscriptionIdentifier(id: number): void {
    this.d.subscriptionIdentifier = checkInt(
      id,
      'subscriptionIdentifier',
      0,
      MAX_VARIABLE_BYTE_INT,
      '0 means none',
    );
  }

  /** User properties (0x26). The live list: appending to it changes these properties. */
  userProperties(): QMqttUserProperties {
    return this.d.userProperties;
  }

  /** Replaces the user properties with a copy of `user`. */
  setUserProperties(user: UserPropertiesInit): void {
    this.d.userProperties = new QMqttUserProperties(user);
  }

  /**
   * No Local: the server does not send the client its own publishes [MQTT-3.8.3-3]. Default false. Not
   * allowed on a shared subscription [MQTT-3.8.3-4].
   */
  noLocal(): boolean {
    return this.d.noLocal;
  }

  setNoLocal(noloc: boolean): void {
    this.d.noLocal = checkBool(noloc, 'noLocal');
  }

  /** Beyond Qt. Retain As Published: keep the RETAIN flag as published [MQTT-3.3.1-12], [MQTT-3.3.1-13]. Default false. */
  retainAsPublished(): boolean {
    return this.d.retainAsPublished;
  }

  setRetainAsPublished(rap: boolean): void {
    this.d.retainAsPublished = checkBool(rap, 'retainAsPublished');
  }

  /** Beyond Qt. Retain Handling, see {@link RetainHandling}. Default 0 (SendOnSubscribe). */
  retainHandling(): RetainHandling {
    return this.d.retainHandling;
  }

  /** @throws RangeError unless 0, 1 or 2 (3 is a protocol error, MQTT 5.0 §3.8.3.1). */
  setRetainHandling(rh: RetainHandling): void {
    this.d.retainHandling = checkInt(
      rh,
      'retainHandling',
      0,
      2,
      'Retain Handling 3 is a protocol error (MQTT 5.0 §3.8.3.1)',
    );
  }

  /** An independent copy. */
  copy(): QMqttSubscriptionProperties {
    const c = new QMqttSubscriptionProperties();
    Object.assign(c.d, this.d);
    c.d.userProperties = this.d.userProperties.copy();
    return c;
  }
}
