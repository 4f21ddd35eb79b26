/** PUBLISH, SUBSCRIBE, UNSUBSCRIBE and acknowledgement properties to and from mqtt-packet's objects (see `wire.ts`). */
import { PayloadFormatIndicator } from '../state';
import { QMqttMessageStatusProperties } from './message-status-properties';
import { PublishPropertyDetail, QMqttPublishProperties } from './publish-properties';
import { RetainHandling, type QMqttSubscriptionProperties } from './subscription-properties';
import type { QMqttUnsubscriptionProperties } from './unsubscription-properties';
import {
  userPropertiesFromWire,
  userPropertiesToWire,
  type AckWireProperties,
  type PublishWireProperties,
  type SubscribeWireProperties,
  type UnsubscribeWireProperties,
  type WireSubscriptionOptions,
} from './wire-common';

/**
 * PUBLISH properties of an outgoing message (MQTT 5.0 §3.3.2.3): those whose bit is set and whose value is
 * not the empty/zero value that an absent property means. Subscription Identifiers are never written: a client
 * must not send them [MQTT-3.3.4-6] (`outgoingPublishPropertiesProblem` refuses such a publish).
 */
export function publishPropertiesToWire(p: QMqttPublishProperties): PublishWireProperties | undefined {
  const d = p.d;
  const bits = d.details;
  const w: PublishWireProperties = {};
  let written = false;
  if (
    bits & PublishPropertyDetail.PayloadFormatIndicator &&
    d.payloadFormatIndicator === PayloadFormatIndicator.UTF8Encoded
  ) {
    w.payloadFormatIndicator = true;
    written = true;
  }
  if (bits & PublishPropertyDetail.MessageExpiryInterval && d.messageExpiryInterval !== 0) {
    w.messageExpiryInterval = d.messageExpiryInterval;
    written = true;
  }
  if (bits & PublishPropertyDetail.TopicAlias && d.topicAlias !== 0) {
    w.topicAlias = d.topicAlias;
    written = true;
  }
  if (bits & PublishPropertyDetail.ResponseTopic && d.responseTopic !== '') {
    w.responseTopic = d.responseTopic;
    written = true;
  }
  if (bits & PublishPropertyDetail.CorrelationData && d.correlationData.length > 0) {
    w.correlationData = d.correlationData;
    written = true;
  }
  const user = userPropertiesToWire(d.userProperties);
  if (user !== undefined) {
    w.userProperties = user;
    written = true;
  }
  if (bits & PublishPropertyDetail.ContentType && d.contentType !== '') {
    w.contentType = d.contentType;
    written = true;
  }
  return written ? w : undefined;
}

/** PUBLISH properties of an incoming message; `availableProperties()` has the bits of those present. */
export function publishPropertiesFromWire(props: PublishWireProperties | undefined): QMqttPublishProperties {
  const pp = new QMqttPublishProperties();
  if (props === undefined || props === null) return pp;
  const d = pp.d;
  let bits = 0;
  if (props.payloadFormatIndicator !== undefined) {
    d.payloadFormatIndicator = props.payloadFormatIndicator
      ? PayloadFormatIndicator.UTF8Encoded
      : PayloadFormatIndicator.Unspecified;
    bits |= PublishPropertyDetail.PayloadFormatIndicator;
  }
  if (props.messageExpiryInterval !== undefined) {
    d.messageExpiryInterval = props.messageExpiryInterval;
    bits |= PublishPropertyDetail.MessageExpiryInterval;
  }
  if (props.topicAlias !== undefined) {
    d.topicAlias = props.topicAlias;
    bits |= PublishPropertyDetail.TopicAlias;
  }
  if (props.responseTopic !== undefined) {
    d.responseTopic = props.responseTopic;
    bits |= PublishPropertyDetail.ResponseTopic;
  }
  if (props.correlationData !== undefined) {
    d.correlationData = props.correlationData;
    bits |= PublishPropertyDetail.CorrelationData;
  }
  if (props.userProperties !== undefined) {
    d.userProperties = userPropertiesFromWire(props.userProperties);
    bits |= PublishPropertyDetail.UserProperty;
  }
  const ids = props.subscriptionIdentifier;
  if (ids !== undefined) {
    d.subscriptionIdentifiers = Array.isArray(ids) ? [...ids] : [ids];
    bits |= PublishPropertyDetail.SubscriptionIdentifier;
  }
  if (props.contentType !== undefined) {
    d.contentType = props.contentType;
    bits |= PublishPropertyDetail.ContentType;
  }
  d.details = bits;
  return pp;
}

/**
 * SUBSCRIBE properties (MQTT 5.0 §3.8.2.1) and, separately, the subscription options for the filter's entry
 * (No Local, Retain As Published, Retain Handling; §3.8.3.1). `properties` is `undefined` when empty.
 */
export function subscribePropertiesToWire(p: QMqttSubscriptionProperties | undefined): {
  properties: SubscribeWireProperties | undefined;
  options: WireSubscriptionOptions;
} {
  if (p === undefined) {
    return { properties: undefined, options: { nl: false, rap: false, rh: RetainHandling.SendOnSubscribe } };
  }
  const d = p.d;
  const w: SubscribeWireProperties = {};
  let written = false;
  if (d.subscriptionIdentifier !== 0) {
    w.subscriptionIdentifier = d.subscriptionIdentifier;
    written = true;
  }
  const user = userPropertiesToWire(d.userProperties);
  if (user !== undefined) {
    w.userProperties = user;
    written = true;
  }
  return {
    properties: written ? w : undefined,
    options: { nl: d.noLocal, rap: d.retainAsPublished, rh: d.retainHandling },
  };
}

/** UNSUBSCRIBE properties (MQTT 5.0 §3.10.2.1); `undefined` when empty. */
export function unsubscribePropertiesToWire(
  p: QMqttUnsubscriptionProperties | undefined,
): UnsubscribeWireProperties | undefined {
  if (p === undefined) return undefined;
  const user = userPropertiesToWire(p.userProperties());
  return user === undefined ? undefined : { userProperties: user };
}

/**
 * Reason code, reason string and user properties of an acknowledgement (PUBACK/PUBREC/PUBREL/PUBCOMP, and
 * the shared part of SUBACK/UNSUBACK). An absent reason code means Success (MQTT 5.0 §3.4.2.1).
 */
export function messageStatusPropertiesFromWire(
  reasonCode: number | undefined,
  props: AckWireProperties | undefined,
): QMqttMessageStatusProperties {
  return QMqttMessageStatusProperties.create(
    reasonCode ?? 0,
    props?.reasonString ?? '',
    props?.userProperties === undefined ? undefined : userPropertiesFromWire(props.userProperties),
  );
}
