/**
 * `QMqttConnectionProperties`: what the client asks of the server in CONNECT (MQTT 5 only; MQTT 5.0
 * §3.1.2.11). Under MQTT 3.1 / 3.1.1 it can be set, but nothing of it is sent.
 */
import { QMqttUserProperties, type UserPropertiesInit } from './user-properties';
import {
  MAX_U16,
  MAX_U32,
  checkBool,
  checkBytes,
  checkInt,
  checkString,
  checkU16,
  checkU32,
} from './validate';

/** @internal The values behind a {@link QMqttConnectionProperties} (Qt's d-pointer). */
export interface ConnectionData {
  sessionExpiryInterval: number;
  maximumReceive: number;
  maximumPacketSize: number;
  maximumTopicAlias: number;
  requestResponseInformation: boolean;
  requestProblemInformation: boolean;
  userProperties: QMqttUserProperties;
  authenticationMethod: string;
  authenticationData: Buffer;
}

/** Protocol defaults, which are also what "absent" means on the wire. */
export const CONNECTION_DEFAULTS = {
  sessionExpiryInterval: 0,
  maximumReceive: 65535,
  maximumPacketSize: MAX_U32,
  maximumTopicAlias: 0,
  requestResponseInformation: false,
  requestProblemInformation: true,
} as const;

const EMPTY = Buffer.alloc(0);

/** Copies values that can be shared (numbers, strings, Buffers never mutated by the library) and deep-copies the list. */
function copyData(from: ConnectionData, to: ConnectionData): void {
  Object.assign(to, from);
  to.userProperties = from.userProperties.copy();
  to.authenticationData = Buffer.from(from.authenticationData);
}

/** MQTT 5 CONNECT properties. Setters check their argument and throw `TypeError` / `RangeError` when it is invalid. */
export class QMqttConnectionProperties {
  /** @internal */
  readonly d: ConnectionData = {
    // written out, not spread from CONNECTION_DEFAULTS: the spread made a new QMqttClient cost ~8 × more (measured)
    sessionExpiryInterval: CONNECTION_DEFAULTS.sessionExpiryInterval,
    maximumReceive: CONNECTION_DEFAULTS.maximumReceive,
    maximumPacketSize: CONNECTION_DEFAULTS.maximumPacketSize,
    maximumTopicAlias: CONNECTION_DEFAULTS.maximumTopicAlias,
    requestResponseInformation: CONNECTION_DEFAULTS.requestResponseInformation,
    requestProblemInformation: CONNECTION_DEFAULTS.requestProblemInformation,
    userProperties: new QMqttUserProperties(),
    authenticationMethod: '',
    authenticationData: EMPTY,
  };

  /** Seconds the server keeps the session after the connection closes (0x11). Default 0: ends with the connection; 0xFFFFFFFF: never. */
  sessionExpiryInterval(): number {
    return this.d.sessionExpiryInterval;
  }

  setSessionExpiryInterval(expiry: number): void {
    this.d.sessionExpiryInterval = checkU32(expiry, 'sessionExpiryInterval');
  }

  /** Receive Maximum (0x21): QoS 1/2 messages the client accepts in flight. Default 65535. */
  maximumReceive(): number {
    return this.d.maximumReceive;
  }

  /** @throws RangeError for 0, which is a protocol error (MQTT 5.0 §3.1.2.11.3). */
  setMaximumReceive(maximumReceive: number): void {
    this.d.maximumReceive = checkInt(
      maximumReceive,
      'maximumReceive',
      1,
      MAX_U16,
      'Receive Maximum 0 is a protocol error (MQTT 5.0 §3.1.2.11.3)',
    );
  }

  /** Maximum Packet Size (0x27): largest packet the client accepts. Default 0xFFFFFFFF (no limit). */
  maximumPacketSize(): number {
    return this.d.maximumPacketSize;
  }

  /** @throws RangeError for 0, which is a protocol error (MQTT 5.0 §3.1.2.11.4). */
  setMaximumPacketSize(packetSize: number): void {
    this.d.maximumPacketSize = checkInt(
      packetSize,
      'maximumPacketSize',
      1,
      MAX_U32,
      'Maximum Packet Size 0 is a protocol error (MQTT 5.0 §3.1.2.11.4)',
    );
  }

  /** Topic Alias Maximum (0x22): highest alias the client accepts from the server. Default 0: none. */
  maximumTopicAlias(): number {
    return this.d.maximumTopicAlias;
  }

  setMaximumTopicAlias(alias: number): void {
    this.d.maximumTopicAlias = checkU16(alias, 'maximumTopicAlias');
  }

  /** Request Response Information (0x19). Default false. */
  requestResponseInformation(): boolean {
    return this.d.requestResponseInformation;
  }

  setRequestResponseInformation(response: boolean): void {
    this.d.requestResponseInformation = checkBool(response, 'requestResponseInformation');
  }

  /** Request Problem Information (0x17). Default true, as the protocol (Qt's prose says false; its code says true). */
  requestProblemInformation(): boolean {
    return this.d.requestProblemInformation;
  }

  setRequestProblemInformation(problem: boolean): void {
    this.d.requestProblemInformation = checkBool(problem, 'requestProblemInformation');
  }

  /** User properties (0x26). The live list: appending to it changes these properties. */
  userProperties(): QMqttUserProperties {
    return this.d.userProperties;
  }

  /** Replaces the user properties with a copy of `properties`. */
  setUserProperties(properties: UserPropertiesInit): void {
    this.d.userProperties = new QMqttUserProperties(properties);
  }

  /** Authentication Method (0x15): names an enhanced-authentication scheme and turns on the AUTH flow. Default `''`. */
  authenticationMethod(): string {
    return this.d.authenticationMethod;
  }

  setAuthenticationMethod(authMethod: string): void {
    this.d.authenticationMethod = checkString(authMethod, 'authenticationMethod');
  }

  /** Authentication Data (0x16): the first blob of the scheme; sent only with a method. Default empty. */
  authenticationData(): Buffer {
    return this.d.authenticationData;
  }

  /** Takes a copy of `authData` (a string is taken as UTF-8). */
  setAuthenticationData(authData: Buffer | Uint8Array | string): void {
    this.d.authenticationData = checkBytes(authData, 'authenticationData');
  }

  /** An independent copy. */
  copy(): QMqttConnectionProperties {
    const c = new QMqttConnectionProperties();
    copyData(this.d, c.d);
    return c;
  }

  /** @internal Used by subclasses' `copy()`. */
  protected copyConnectionDataTo(target: QMqttConnectionProperties): void {
    copyData(this.d, target.d);
  }
}
