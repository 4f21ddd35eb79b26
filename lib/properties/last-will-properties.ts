/**
 * `QMqttLastWillProperties`: the Will Properties of CONNECT (MQTT 5 only; MQTT 5.0 §3.1.3.2). Topic, payload,
 * QoS and retain of the will come from the client's `will*` properties; these are sent only with a will topic.
 */
import { PayloadFormatIndicator } from '../state';
import { QMqttUserProperties, type UserPropertiesInit } from './user-properties';
import { checkBytes, checkPayloadFormat, checkResponseTopic, checkString, checkU32 } from './validate';

/** @internal The values behind a {@link QMqttLastWillProperties}. */
export interface LastWillData {
  willDelayInterval: number;
  payloadFormatIndicator: PayloadFormatIndicator;
  messageExpiryInterval: number;
  contentType: string;
  responseTopic: string;
  correlationData: Buffer;
  userProperties: QMqttUserProperties;
}

/** MQTT 5 will properties. Setters check their argument and throw `TypeError` / `RangeError` when it is invalid. */
export class QMqttLastWillProperties {
  /** @internal */
  readonly d: LastWillData = {
    willDelayInterval: 0,
    payloadFormatIndicator: PayloadFormatIndicator.Unspecified,
    messageExpiryInterval: 0,
    contentType: '',
    responseTopic: '',
    correlationData: Buffer.alloc(0),
    userProperties: new QMqttUserProperties(),
  };

  /** Will Delay Interval (0x18): seconds the server waits before publishing the will. Default 0. */
  willDelayInterval(): number {
    return this.d.willDelayInterval;
  }

  setWillDelayInterval(delay: number): void {
    this.d.willDelayInterval = checkU32(delay, 'willDelayInterval');
  }

  /** Payload Format Indicator (0x01). Default Unspecified. */
  payloadFormatIndicator(): PayloadFormatIndicator {
    return this.d.payloadFormatIndicator;
  }

  setPayloadFormatIndicator(p: PayloadFormatIndicator): void {
    this.d.payloadFormatIndicator = checkPayloadFormat(p, 'payloadFormatIndicator');
  }

  /** Message Expiry Interval (0x02): lifetime of the will message in seconds. Default 0: none. */
  messageExpiryInterval(): number {
    return this.d.messageExpiryInterval;
  }

  setMessageExpiryInterval(expiry: number): void {
    this.d.messageExpiryInterval = checkU32(expiry, 'messageExpiryInterval');
  }

  /** Content Type (0x03). Default `''`. */
  contentType(): string {
    return this.d.contentType;
  }

  setContentType(content: string): void {
    this.d.contentType = checkString(content, 'contentType');
  }

  /** Response Topic (0x08): a topic name without wildcards, or `''` for none [MQTT-3.3.2-14]. */
  responseTopic(): string {
    return this.d.responseTopic;
  }

  setResponseTopic(response: string): void {
    this.d.responseTopic = checkResponseTopic(response, 'responseTopic');
  }

  /** Correlation Data (0x09). Default empty. */
  correlationData(): Buffer {
    return this.d.correlationData;
  }

  /** Takes a copy of `correlation` (a string is taken as UTF-8). */
  setCorrelationData(correlation: Buffer | Uint8Array | string): void {
    this.d.correlationData = checkBytes(correlation, 'correlationData');
  }

  /** User properties (0x26). The live list: appending to it changes these properties. */
  userProperties(): QMqttUserProperties {
    return this.d.userProperties;
  }

  /** Replaces the user properties with a copy of `properties`. */
  setUserProperties(properties: UserPropertiesInit): void {
    this.d.userProperties = new QMqttUserProperties(properties);
  }

  /** An independent copy. */
  copy(): QMqttLastWillProperties {
    const c = new QMqttLastWillProperties();
    Object.assign(c.d, this.d);
    c.d.userProperties = this.d.userProperties.copy();
    c.d.correlationData = Buffer.from(this.d.correlationData);
    return c;
  }
}
