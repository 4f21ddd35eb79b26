/**
 * Checks that need more than one value: incoming property sets against the spec (a broker's protocol
 * errors) and outgoing ones against what the server announced in CONNACK. Each returns a message saying
 * what is wrong, or `null`.
 */
import { ReasonCode } from '../reason-codes';
import { QMqttTopicFilter } from '../topic/topic-filter';
import { PublishPropertyDetail, type QMqttPublishProperties } from './publish-properties';
import type { QMqttServerConnectionProperties } from './server-connection-properties';
import type { QMqttSubscriptionProperties } from './subscription-properties';
import type { ConnackWireProperties, PublishWireProperties } from './wire-common';

/**
 * A CONNACK property value the spec forbids, or `null`. The client should then close the connection as a
 * protocol error (reason 0x82; [MQTT-4.13.1-1]).
 */
export function connackPropertiesProblem(props: ConnackWireProperties | undefined): string | null {
  if (props === undefined || props === null) return null;
  if (props.receiveMaximum === 0)
    return 'CONNACK Receive Maximum 0 is a protocol error (MQTT 5.0 §3.2.2.3.3)';
  if (props.maximumPacketSize === 0)
    return 'CONNACK Maximum Packet Size 0 is a protocol error (MQTT 5.0 §3.2.2.3.6)';
  if (props.maximumQoS !== undefined && props.maximumQoS !== 0 && props.maximumQoS !== 1) {
    return `CONNACK Maximum QoS ${props.maximumQoS} is a protocol error; only 0 or 1 may be sent (MQTT 5.0 §3.2.2.3.4)`;
  }
  if (props.authenticationData !== undefined && props.authenticationMethod === undefined) {
    return 'CONNACK Authentication Data without an Authentication Method is a protocol error (MQTT 5.0 §3.2.2.3.18)';
  }
  return null;
}

/**
 * A PUBLISH property value from the broker that the spec forbids, or `null`: Topic Alias 0 [MQTT-3.3.2-8] or a
 * Subscription Identifier 0 (MQTT 5.0 §3.3.2.3.8). `topicAliasMaximum` is the client's own limit
 * (`QMqttConnectionProperties.maximumTopicAlias()`), which the server must respect [MQTT-3.3.2-11].
 */
export function incomingPublishPropertiesProblem(
  props: PublishWireProperties | undefined,
  topicAliasMaximum: number,
): string | null {
  if (props === undefined || props === null) return null;
  const alias = props.topicAlias;
  if (alias !== undefined) {
    if (alias === 0) return 'PUBLISH Topic Alias 0 is a protocol error [MQTT-3.3.2-8]';
    if (alias > topicAliasMaximum) {
      return `PUBLISH Topic Alias ${alias} exceeds the client's Topic Alias Maximum ${topicAliasMaximum} [MQTT-3.3.2-11]`;
    }
  }
  const ids = props.subscriptionIdentifier;
  if (ids !== undefined && (Array.isArray(ids) ? ids.includes(0) : ids === 0)) {
    return 'PUBLISH Subscription Identifier 0 is a protocol error (MQTT 5.0 §3.3.2.3.8)';
  }
  return null;
}

/**
 * Why a publish with these properties must not be sent, or `null`: it carries Subscription Identifiers
 * [MQTT-3.3.4-6], or a Topic Alias above the server's Topic Alias Maximum [MQTT-3.3.2-9] (0 or absent: no
 * aliases at all [MQTT-3.2.2-18]). Without `server` (no CONNACK yet) the maximum is taken as 0.
 */
export function outgoingPublishPropertiesProblem(
  p: QMqttPublishProperties,
  server?: QMqttServerConnectionProperties,
): string | null {
  const bits = p.availableProperties();
  if (bits & PublishPropertyDetail.SubscriptionIdentifier) {
    return 'a client must not send Subscription Identifiers in PUBLISH [MQTT-3.3.4-6]';
  }
  if (bits & PublishPropertyDetail.TopicAlias) {
    const max = server?.maximumTopicAlias() ?? 0;
    if (p.topicAlias() > max) {
      return max === 0
        ? `topic alias ${p.topicAlias()} cannot be used: the server accepts no topic aliases [MQTT-3.2.2-18]`
        : `topic alias ${p.topicAlias()} exceeds the server's Topic Alias Maximum ${max} [MQTT-3.3.2-9]`;
    }
  }
  return null;
}

/**
 * Why subscribing to `filter` with these properties must not be done, or `null`: an invalid filter, No Local
 * on a shared subscription [MQTT-3.8.3-4], or a feature the server said in CONNACK it does not support
 * (shared subscriptions, wildcards, subscription identifiers; MQTT 5.0 §3.2.2.3.11–13).
 */
export function subscriptionProblem(
  filter: QMqttTopicFilter | string,
  p?: QMqttSubscriptionProperties,
  server?: QMqttServerConnectionProperties,
): string | null {
  const f = typeof filter === 'string' ? new QMqttTopicFilter(filter) : filter;
  const invalid = f.validationError();
  if (invalid !== null) return invalid;
  if (f.isSharedSubscription() && p?.noLocal())
    return 'No Local must not be set on a shared subscription [MQTT-3.8.3-4]';
  if (server === undefined) return null;
  return unsupportedSubscription(f, p, server)?.[0] ?? null;
}

/**
 * A subscription feature the server said in CONNACK it does not support, as [message, the reason code a server
 * would refuse it with], or `null` (MQTT 5.0 §3.2.2.3.11–13, §3.9.3).
 */
export function unsupportedSubscription(
  f: QMqttTopicFilter,
  p: QMqttSubscriptionProperties | undefined,
  server: QMqttServerConnectionProperties,
): [string, number] | null {
  if (f.isSharedSubscription() && !server.sharedSubscriptionSupported()) {
    return [
      'the server does not support shared subscriptions (CONNACK Shared Subscription Available = 0)',
      ReasonCode.SharedSubscriptionsNotSupported,
    ];
  }
  const unshared = f.unsharedFilter();
  if (!server.wildcardSupported() && (unshared.includes('+') || unshared.includes('#'))) {
    return [
      'the server does not support wildcard subscriptions (CONNACK Wildcard Subscription Available = 0)',
      ReasonCode.WildCardSubscriptionsNotSupported,
    ];
  }
  if (p !== undefined && p.subscriptionIdentifier() !== 0 && !server.subscriptionIdentifierSupported()) {
    return [
      'the server does not support subscription identifiers (CONNACK Subscription Identifiers Available = 0)',
      ReasonCode.SubscriptionIdsNotSupported,
    ];
  }
  return null;
}
