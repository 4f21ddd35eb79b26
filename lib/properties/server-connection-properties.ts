/**
 * `QMqttServerConnectionProperties`: what the server announced in CONNACK (MQTT 5 only; MQTT 5.0 §3.2.2.3).
 * The inherited getters return the server's values (its session expiry, Receive Maximum, Maximum Packet
 * Size, Topic Alias Maximum, user properties, authentication method and data).
 */
import { ReasonCode } from '../reason-codes';
import { QMqttConnectionProperties } from './connection-properties';
import type { UserPropertiesInit } from './user-properties';
import { checkBool, checkInt, checkString, checkU16 } from './validate';

/** Which CONNACK properties the server sent (`QMqttServerConnectionProperties::ServerPropertyDetail`, flags). */
export enum ServerPropertyDetail {
  None = 0x0,
  SessionExpiryInterval = 0x1,
  MaximumReceive = 0x2,
  MaximumQoS = 0x4,
  RetainAvailable = 0x10,
  MaximumPacketSize = 0x20,
  AssignedClientId = 0x40,
  MaximumTopicAlias = 0x80,
  ReasonString = 0x100,
  UserProperty = 0x200,
  WildCardSupported = 0x400,
  SubscriptionIdentifierSupport = 0x800,
  SharedSubscriptionSupport = 0x1000,
  ServerKeepAlive = 0x2000,
  ResponseInformation = 0x4000,
  ServerReference = 0x8000,
  AuthenticationMethod = 0x10000,
  AuthenticationData = 0x20000,
}

/** @internal The server-only values behind a {@link QMqttServerConnectionProperties}. */
export interface ServerData {
  details: number;
  valid: boolean;
  maximumQoS: number;
  retainAvailable: boolean;
  clientIdAssigned: boolean;
  assignedClientIdentifier: string;
  reason: string;
  reasonCode: ReasonCode;
  wildcardSupported: boolean;
  subscriptionIdentifierSupported: boolean;
  sharedSubscriptionSupported: boolean;
  serverKeepAlive: number;
  responseInformation: string;
  serverReference: string;
}

/**
 * The server's side of the connection, from CONNACK; `QMqttClient.serverConnectionProperties()` returns it
 * after every connect attempt, a failed one included. Defaults are what an absent property means.
 * The `set…` methods are for the library (and tests); each one also sets its {@link ServerPropertyDetail} bit.
 */
export class QMqttServerConnectionProperties extends QMqttConnectionProperties {
  /** Qt: `QMqttServerConnectionProperties::ServerPropertyDetail`. */
  static readonly ServerPropertyDetail = ServerPropertyDetail;

  /** @internal */
  readonly s: ServerData = {
    details: ServerPropertyDetail.None,
    valid: false,
    maximumQoS: 2,
    retainAvailable: true,
    clientIdAssigned: false,
    assignedClientIdentifier: '',
    reason: '',
    reasonCode: ReasonCode.Success,
    wildcardSupported: true,
    subscriptionIdentifierSupported: true,
    sharedSubscriptionSupported: true,
    serverKeepAlive: 0,
    responseInformation: '',
    serverReference: '',
  };

  /** Bitmask of {@link ServerPropertyDetail}: the properties the server actually sent. */
  availableProperties(): number {
    return this.s.details;
  }

  /** True once CONNACK properties were received. */
  isValid(): boolean {
    return this.s.valid;
  }

  setValid(valid: boolean): void {
    this.s.valid = checkBool(valid, 'valid');
  }

  /** Highest QoS the server accepts for the client's publishes. Default 2. */
  maximumQoS(): number {
    return this.s.maximumQoS;
  }

  setMaximumQoS(qos: number): void {
    this.s.maximumQoS = checkInt(qos, 'maximumQoS', 0, 2);
    this.s.details |= ServerPropertyDetail.MaximumQoS;
  }

  /** Whether the server accepts retained messages. Default true. */
  retainAvailable(): boolean {
    return this.s.retainAvailable;
  }

  setRetainAvailable(available: boolean): void {
    this.s.retainAvailable = checkBool(available, 'retainAvailable');
    this.s.details |= ServerPropertyDetail.RetainAvailable;
  }

  /** Whether the server chose the client ID (Assigned Client Identifier, 0x12). Default false. */
  clientIdAssigned(): boolean {
    return this.s.clientIdAssigned;
  }

  /** Beyond Qt: the client ID the server assigned, or `''`. */
  assignedClientIdentifier(): string {
    return this.s.assignedClientIdentifier;
  }

  setAssignedClientIdentifier(id: string): void {
    this.s.assignedClientIdentifier = checkString(id, 'assignedClientIdentifier');
    this.s.clientIdAssigned = true;
    this.s.details |= ServerPropertyDetail.AssignedClientId;
  }

  /** Reason String of the CONNACK. Default `''`. */
  reason(): string {
    return this.s.reason;
  }

  setReason(reason: string): void {
    this.s.reason = checkString(reason, 'reason');
    this.s.details |= ServerPropertyDetail.ReasonString;
  }

  /** The CONNACK reason code. Default Success. */
  reasonCode(): ReasonCode {
    return this.s.reasonCode;
  }

  setReasonCode(code: ReasonCode): void {
    this.s.reasonCode = checkInt(code, 'reasonCode', 0, 255);
  }

  /** Whether wildcard subscriptions are allowed. Default true. */
  wildcardSupported(): boolean {
    return this.s.wildcardSupported;
  }

  setWildcardSupported(supported: boolean): void {
    this.s.wildcardSupported = checkBool(supported, 'wildcardSupported');
    this.s.details |= ServerPropertyDetail.WildCardSupported;
  }

  /** Whether subscription identifiers are allowed. Default true. */
  subscriptionIdentifierSupported(): boolean {
    return this.s.subscriptionIdentifierSupported;
  }

  setSubscriptionIdentifierSupported(supported: boolean): void {
    this.s.subscriptionIdentifierSupported = checkBool(supported, 'subscriptionIdentifierSupported');
    this.s.details |= ServerPropertyDetail.SubscriptionIdentifierSupport;
  }

  /** Whether `$share/…` subscriptions are allowed. Default true. */
  sharedSubscriptionSupported(): boolean {
    return this.s.sharedSubscriptionSupported;
  }

  setSharedSubscriptionSupported(supported: boolean): void {
    this.s.sharedSubscriptionSupported = checkBool(supported, 'sharedSubscriptionSupported');
    this.s.details |= ServerPropertyDetail.SharedSubscriptionSupport;
  }

  /** Server Keep Alive in seconds; when sent, the client must use it instead of its own [MQTT-3.2.2-21]. Default 0. */
  serverKeepAlive(): number {
    return this.s.serverKeepAlive;
  }

  setServerKeepAlive(seconds: number): void {
    this.s.serverKeepAlive = checkU16(seconds, 'serverKeepAlive');
    this.s.details |= ServerPropertyDetail.ServerKeepAlive;
  }

  /** Response Information: a basis for response topics, if it was requested. Default `''`. */
  responseInformation(): string {
    return this.s.responseInformation;
  }

  setResponseInformation(info: string): void {
    this.s.responseInformation = checkString(info, 'responseInformation');
    this.s.details |= ServerPropertyDetail.ResponseInformation;
  }

  /** Server Reference: another server to use (with UseAnotherServer / ServerMoved). Default `''`. */
  serverReference(): string {
    return this.s.serverReference;
  }

  setServerReference(reference: string): void {
    this.s.serverReference = checkString(reference, 'serverReference');
    this.s.details |= ServerPropertyDetail.ServerReference;
  }

  override setSessionExpiryInterval(expiry: number): void {
    super.setSessionExpiryInterval(expiry);
    this.s.details |= ServerPropertyDetail.SessionExpiryInterval;
  }

  override setMaximumReceive(maximumReceive: number): void {
    super.setMaximumReceive(maximumReceive);
    this.s.details |= ServerPropertyDetail.MaximumReceive;
  }

  override setMaximumPacketSize(packetSize: number): void {
    super.setMaximumPacketSize(packetSize);
    this.s.details |= ServerPropertyDetail.MaximumPacketSize;
  }

  override setMaximumTopicAlias(alias: number): void {
    super.setMaximumTopicAlias(alias);
    this.s.details |= ServerPropertyDetail.MaximumTopicAlias;
  }

  override setUserProperties(properties: UserPropertiesInit): void {
    super.setUserProperties(properties);
    this.s.details |= ServerPropertyDetail.UserProperty;
  }

  override setAuthenticationMethod(authMethod: string): void {
    super.setAuthenticationMethod(authMethod);
    this.s.details |= ServerPropertyDetail.AuthenticationMethod;
  }

  override setAuthenticationData(authData: Buffer | Uint8Array | string): void {
    super.setAuthenticationData(authData);
    this.s.details |= ServerPropertyDetail.AuthenticationData;
  }

  /** An independent copy. */
  override copy(): QMqttServerConnectionProperties {
    const c = new QMqttServerConnectionProperties();
    this.copyConnectionDataTo(c);
    Object.assign(c.s, this.s);
    return c;
  }
}
