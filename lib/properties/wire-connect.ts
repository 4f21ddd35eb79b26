/** CONNECT, CONNACK, will and AUTH properties to and from mqtt-packet's objects (see `wire.ts`). */
import { PayloadFormatIndicator } from '../state';
import { QMqttAuthenticationProperties } from './authentication-properties';
import { CONNECTION_DEFAULTS, type QMqttConnectionProperties } from './connection-properties';
import type { QMqttLastWillProperties } from './last-will-properties';
import { QMqttServerConnectionProperties, ServerPropertyDetail } from './server-connection-properties';
import {
  userPropertiesFromWire,
  userPropertiesToWire,
  type AuthWireProperties,
  type ConnackWireProperties,
  type ConnectWireProperties,
  type WillWireProperties,
} from './wire-common';

/** CONNECT properties (MQTT 5.0 §3.1.2.11); `undefined` when everything is at its default. */
export function connectPropertiesToWire(p: QMqttConnectionProperties): ConnectWireProperties | undefined {
  const d = p.d;
  const w: ConnectWireProperties = {};
  let written = false;
  if (d.sessionExpiryInterval !== CONNECTION_DEFAULTS.sessionExpiryInterval) {
    w.sessionExpiryInterval = d.sessionExpiryInterval;
    written = true;
  }
  if (d.maximumReceive !== CONNECTION_DEFAULTS.maximumReceive) {
    w.receiveMaximum = d.maximumReceive;
    written = true;
  }
  if (d.maximumPacketSize !== CONNECTION_DEFAULTS.maximumPacketSize) {
    w.maximumPacketSize = d.maximumPacketSize;
    written = true;
  }
  if (d.maximumTopicAlias !== CONNECTION_DEFAULTS.maximumTopicAlias) {
    w.topicAliasMaximum = d.maximumTopicAlias;
    written = true;
  }
  if (d.requestResponseInformation !== CONNECTION_DEFAULTS.requestResponseInformation) {
    w.requestResponseInformation = d.requestResponseInformation;
    written = true;
  }
  if (d.requestProblemInformation !== CONNECTION_DEFAULTS.requestProblemInformation) {
    w.requestProblemInformation = d.requestProblemInformation;
    written = true;
  }
  const user = userPropertiesToWire(d.userProperties);
  if (user !== undefined) {
    w.userProperties = user;
    written = true;
  }
  if (d.authenticationMethod !== '') {
    w.authenticationMethod = d.authenticationMethod;
    written = true;
    // Authentication Data without a method is a protocol error (MQTT 5.0 §3.1.2.11.10).
    if (d.authenticationData.length > 0) w.authenticationData = d.authenticationData;
  }
  return written ? w : undefined;
}

/**
 * The server's properties from a CONNACK (MQTT 5.0 §3.2.2.3); call it for every MQTT 5 CONNACK, with or
 * without properties (mqtt-packet drops an empty property list). Bits of `availableProperties()` tell which
 * were present; absent ones keep their defaults. A value the spec forbids (e.g. Receive Maximum 0) is left at
 * its default here: check `connackPropertiesProblem` first.
 */
export function serverPropertiesFromConnack(
  props: ConnackWireProperties | undefined,
  reasonCode = 0,
): QMqttServerConnectionProperties {
  const sp = new QMqttServerConnectionProperties();
  const d = sp.d;
  const s = sp.s;
  s.valid = true;
  s.reasonCode = reasonCode;
  if (props === undefined || props === null) return sp;
  let bits = 0;
  if (props.sessionExpiryInterval !== undefined) {
    d.sessionExpiryInterval = props.sessionExpiryInterval;
    bits |= ServerPropertyDetail.SessionExpiryInterval;
  }
  if (props.receiveMaximum !== undefined) {
    if (props.receiveMaximum > 0) d.maximumReceive = props.receiveMaximum;
    bits |= ServerPropertyDetail.MaximumReceive;
  }
  if (props.maximumQoS !== undefined) {
    if (props.maximumQoS === 0 || props.maximumQoS === 1) s.maximumQoS = props.maximumQoS;
    bits |= ServerPropertyDetail.MaximumQoS;
  }
  if (props.retainAvailable !== undefined) {
    s.retainAvailable = props.retainAvailable;
    bits |= ServerPropertyDetail.RetainAvailable;
  }
  if (props.maximumPacketSize !== undefined) {
    if (props.maximumPacketSize > 0) d.maximumPacketSize = props.maximumPacketSize;
    bits |= ServerPropertyDetail.MaximumPacketSize;
  }
  if (props.assignedClientIdentifier !== undefined) {
    s.assignedClientIdentifier = props.assignedClientIdentifier;
    s.clientIdAssigned = true;
    bits |= ServerPropertyDetail.AssignedClientId;
  }
  if (props.topicAliasMaximum !== undefined) {
    d.maximumTopicAlias = props.topicAliasMaximum;
    bits |= ServerPropertyDetail.MaximumTopicAlias;
  }
  if (props.reasonString !== undefined) {
    s.reason = props.reasonString;
    bits |= ServerPropertyDetail.ReasonString;
  }
  if (props.userProperties !== undefined) {
    d.userProperties = userPropertiesFromWire(props.userProperties);
    bits |= ServerPropertyDetail.UserProperty;
  }
  if (props.wildcardSubscriptionAvailable !== undefined) {
    s.wildcardSupported = props.wildcardSubscriptionAvailable;
    bits |= ServerPropertyDetail.WildCardSupported;
  }
  if (props.subscriptionIdentifiersAvailable !== undefined) {
    s.subscriptionIdentifierSupported = props.subscriptionIdentifiersAvailable;
    bits |= ServerPropertyDetail.SubscriptionIdentifierSupport;
  }
  if (props.sharedSubscriptionAvailable !== undefined) {
    s.sharedSubscriptionSupported = props.sharedSubscriptionAvailable;
    bits |= ServerPropertyDetail.SharedSubscriptionSupport;
  }
  if (props.serverKeepAlive !== undefined) {
    s.serverKeepAlive = props.serverKeepAlive;
    bits |= ServerPropertyDetail.ServerKeepAlive;
  }
  if (props.responseInformation !== undefined) {
    s.responseInformation = props.responseInformation;
    bits |= ServerPropertyDetail.ResponseInformation;
  }
  if (props.serverReference !== undefined) {
    s.serverReference = props.serverReference;
    bits |= ServerPropertyDetail.ServerReference;
  }
  if (props.authenticationMethod !== undefined) {
    d.authenticationMethod = props.authenticationMethod;
    bits |= ServerPropertyDetail.AuthenticationMethod;
  }
  if (props.authenticationData !== undefined) {
    d.authenticationData = props.authenticationData;
    bits |= ServerPropertyDetail.AuthenticationData;
  }
  s.details = bits;
  return sp;
}

/** Will Properties (MQTT 5.0 §3.1.3.2); `undefined` when everything is at its default. */
export function willPropertiesToWire(p: QMqttLastWillProperties): WillWireProperties | undefined {
  const d = p.d;
  const w: WillWireProperties = {};
  let written = false;
  if (d.willDelayInterval !== 0) {
    w.willDelayInterval = d.willDelayInterval;
    written = true;
  }
  if (d.payloadFormatIndicator === PayloadFormatIndicator.UTF8Encoded) {
    w.payloadFormatIndicator = true;
    written = true;
  }
  if (d.messageExpiryInterval !== 0) {
    w.messageExpiryInterval = d.messageExpiryInterval;
    written = true;
  }
  if (d.contentType !== '') {
    w.contentType = d.contentType;
    written = true;
  }
  if (d.responseTopic !== '') {
    w.responseTopic = d.responseTopic;
    written = true;
  }
  if (d.correlationData.length > 0) {
    w.correlationData = d.correlationData;
    written = true;
  }
  const user = userPropertiesToWire(d.userProperties);
  if (user !== undefined) {
    w.userProperties = user;
    written = true;
  }
  return written ? w : undefined;
}

/** AUTH properties (MQTT 5.0 §3.15.2.2); `undefined` when empty. */
export function authPropertiesToWire(p: QMqttAuthenticationProperties): AuthWireProperties | undefined {
  const d = p.d;
  const w: AuthWireProperties = {};
  let written = false;
  if (d.authenticationMethod !== '') {
    w.authenticationMethod = d.authenticationMethod;
    written = true;
  }
  if (d.authenticationData.length > 0) {
    w.authenticationData = d.authenticationData;
    written = true;
  }
  if (d.reason !== '') {
    w.reasonString = d.reason;
    written = true;
  }
  const user = userPropertiesToWire(d.userProperties);
  if (user !== undefined) {
    w.userProperties = user;
    written = true;
  }
  return written ? w : undefined;
}

/** AUTH properties received from the server. */
export function authPropertiesFromWire(props: AuthWireProperties | undefined): QMqttAuthenticationProperties {
  const ap = new QMqttAuthenticationProperties();
  if (props === undefined || props === null) return ap;
  const d = ap.d;
  if (props.authenticationMethod !== undefined) d.authenticationMethod = props.authenticationMethod;
  if (props.authenticationData !== undefined) d.authenticationData = props.authenticationData;
  if (props.reasonString !== undefined) d.reason = props.reasonString;
  if (props.userProperties !== undefined) d.userProperties = userPropertiesFromWire(props.userProperties);
  return ap;
}
