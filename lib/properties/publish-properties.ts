/**
 * `QMqttPublishProperties`: the properties of a PUBLISH (MQTT 5 only; MQTT 5.0 §3.3.2.3). Passed to
 * `publish` for outgoing messages; `QMqttMessage.publishProperties()` for incoming ones.
 */
import { PayloadFormatIndicator } from '../state';
import { QMqttUserProperties, type UserPropertiesInit } from './user-properties';
import {
  MAX_U16,
  MAX_VARIABLE_BYTE_INT,
  checkBytes,
  checkInt,
  checkPayloadFormat,
  checkResponseTopic,
  checkString,
  checkU32,
} from './validate';

/** Which publish properties are set (`QMqttPublishProperties::PublishPropertyDetail`, flags). */
export enum PublishPropertyDetail {
  None = 0x0,
  PayloadFormatIndicator = 0x1,
  MessageExpiryInterval = 0x2,
  TopicAlias = 0x4,
  ResponseTopic = 0x8,
  CorrelationData = 0x10,
  UserProperty = 0x20,
  SubscriptionIdentifier = 0x40,
  ContentType = 0x80,
}

/** @internal The values behind a {@link QMqttPublishProperties}. */
export interface PublishData {
  details: number;
  payloadFormatIndicator: PayloadFormatIndicator;
  messageExpiryInterval: number;
  topicAlias: number;
  responseTopic: string;
  correlationData: Buffer;
  userProperties: QMqttUserProperties;
  subscriptionIdentifiers: number[];
  contentType: string;
}

/**
 * MQTT 5 PUBLISH properties. Every setter that succeeds sets its {@link PublishPropertyDetail} bit, and only
 * properties whose bit is set are sent. Setters check their argument and throw `TypeError` / `RangeError`.
 */
export class QMqttPublishProperties {
  /** Qt: `QMqttPublishProperties::PublishPropertyDetail`. */
  static readonly PublishPropertyDetail = PublishPropertyDetail;

  /** @internal */
  readonly d: PublishData = {
    details: PublishPropertyDetail.None,
    payloadFormatIndicator: PayloadFormatIndicator.Unspecified,
    messageExpiryInterval: 0,
    topicAlias: 0,
    responseTopic: '',
    correlationData: Buffer.alloc(0),
    userProperties: new QMqttUserProperties(),
    subscriptionIdentifiers: [],
    contentType: '',
  };

  /**
   * Bitmask of {@link PublishPropertyDetail}: the properties that were set (or, on a received message, present).
   * `UserProperty` is also reported when pairs were appended to the live {@link userProperties} list.
   */
  availableProperties(): number {
    const d = this.d;
    return d.userProperties.length > 0 ? d.details | PublishPropertyDetail.UserProperty : d.details;
  }

  /** Payload Format Indicator (0x01). Default Unspecified. */
  payloadFormatIndicator(): PayloadFormatIndicator {
    return this.d.payloadFormatIndicator;
  }

  setPayloadFormatIndicator(indicator: PayloadFormatIndicator): void {
    this.d.payloadFormatIndicator = checkPayloadFormat(indicator, 'payloadFormatIndicator');
    this.d.details |= PublishPropertyDetail.PayloadFormatIndicator;
  }

  /** Message Expiry Interval (0x02) in seconds. Default 0 (and unset: the message does not expire). */
  messageExpiryInterval(): number {
    return this.d.messageExpiryInterval;
  }

  setMessageExpiryInterval(interval: number): void {
    this.d.messageExpiryInterval = checkU32(interval, 'messageExpiryInterval');
    this.d.details |= PublishPropertyDetail.MessageExpiryInterval;
  }

  /** Topic Alias (0x23). Default 0 (unset). */
  topicAlias(): number {
    return this.d.topicAlias;
  }

  /**
   * @throws RangeError unless 1..65535: a Topic Alias of 0 must not be sent [MQTT-3.3.2-8]. It must also not
   * exceed the server's Topic Alias Maximum [MQTT-3.3.2-9], which the client checks when publishing.
   */
  setTopicAlias(alias: number): void {
    this.d.topicAlias = checkInt(
      alias,
      'topicAlias',
      1,
      MAX_U16,
      'a Topic Alias of 0 must not be sent [MQTT-3.3.2-8]',
    );
    this.d.details |= PublishPropertyDetail.TopicAlias;
  }

  /** Response Topic (0x08). Default `''`. */
  responseTopic(): string {
    return this.d.responseTopic;
  }

  /** A topic name without wildcards [MQTT-3.3.2-14]; `''` is accepted but not sent. */
  setResponseTopic(topic: string): void {
    this.d.responseTopic = checkResponseTopic(topic, 'responseTopic');
    this.d.details |= PublishPropertyDetail.ResponseTopic;
  }

  /** Correlation Data (0x09). Default empty. */
  correlationData(): Buffer {
    return this.d.correlationData;
  }

  /** Takes a copy of `correlation` (a string is taken as UTF-8). */
  setCorrelationData(correlation: Buffer | Uint8Array | string): void {
    this.d.correlationData = checkBytes(correlation, 'correlationData');
    this.d.details |= PublishPropertyDetail.CorrelationData;
  }

  /** User properties (0x26). The live list: appending to it changes these properties. */
  userProperties(): QMqttUserProperties {
    return this.d.userProperties;
  }

  /** Replaces the user properties with a copy of `properties`. */
  setUserProperties(properties: UserPropertiesInit): void {
    this.d.userProperties = new QMqttUserProperties(properties);
    this.d.details |= PublishPropertyDetail.UserProperty;
  }

  /**
   * Subscription Identifiers (0x0B) of the subscriptions that matched an incoming message. A client must
   * not send them [MQTT-3.3.4-6], so a publish carrying them is refused.
   */
  subscriptionIdentifiers(): readonly number[] {
    return this.d.subscriptionIdentifiers;
  }

  /** @throws RangeError unless every id is 1..268435455 (0 is a protocol error, MQTT 5.0 §3.3.2.3.8). */
  setSubscriptionIdentifiers(ids: readonly number[]): void {
    if (!Array.isArray(ids)) throw new TypeError('subscriptionIdentifiers must be an array of numbers');
    const copy = ids.map((id: unknown) =>
      checkInt(
        id,
        'subscription identifier',
        1,
        MAX_VARIABLE_BYTE_INT,
        '0 is a protocol error (MQTT 5.0 §3.3.2.3.8)',
      ),
    );
    this.d.subscriptionIdentifiers = copy;
    this.d.details |= PublishPropertyDetail.SubscriptionIdentifier;
  }

  /** Content Type (0x03). Default `''`. */
  contentType(): string {
    return this.d.contentType;
  }

  setContentType(type: string): void {
    this.d.contentType = checkString(type, 'contentType');
    this.d.details |= PublishPropertyDetail.ContentType;
  }

  /** An independent copy. */
  copy(): QMqttPublishProperties {
    const c = new QMqttPublishProperties();
    Object.assign(c.d, this.d);
    c.d.userProperties = this.d.userProperties.copy();
    c.d.correlationData = Buffer.from(this.d.correlationData);
    c.d.subscriptionIdentifiers = [...this.d.subscriptionIdentifiers];
    return c;
  }
}
