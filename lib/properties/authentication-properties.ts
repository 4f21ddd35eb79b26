/**
 * `QMqttAuthenticationProperties`: the properties of AUTH, in both directions of enhanced authentication
 * (MQTT 5 only; MQTT 5.0 §3.15.2.2, §4.12).
 */
import { QMqttUserProperties, type UserPropertiesInit } from './user-properties';
import { checkBytes, checkString } from './validate';

/** @internal The values behind a {@link QMqttAuthenticationProperties}. */
export interface AuthenticationData {
  authenticationMethod: string;
  authenticationData: Buffer;
  reason: string;
  userProperties: QMqttUserProperties;
}

/** AUTH properties. Setters check their argument and throw `TypeError` / `RangeError` when it is invalid. */
export class QMqttAuthenticationProperties {
  /** @internal */
  readonly d: AuthenticationData = {
    authenticationMethod: '',
    authenticationData: Buffer.alloc(0),
    reason: '',
    userProperties: new QMqttUserProperties(),
  };

  /** Authentication Method (0x15); must be the one sent in CONNECT [MQTT-4.12.0-5], [MQTT-4.12.1-1]. */
  authenticationMethod(): string {
    return this.d.authenticationMethod;
  }

  setAuthenticationMethod(method: string): void {
    this.d.authenticationMethod = checkString(method, 'authenticationMethod');
  }

  /** Authentication Data (0x16) for this step. Default empty. */
  authenticationData(): Buffer {
    return this.d.authenticationData;
  }

  /** Takes a copy of `adata` (a string is taken as UTF-8). */
  setAuthenticationData(adata: Buffer | Uint8Array | string): void {
    this.d.authenticationData = checkBytes(adata, 'authenticationData');
  }

  /** Reason String (0x1F). Default `''`. */
  reason(): string {
    return this.d.reason;
  }

  setReason(r: string): void {
    this.d.reason = checkString(r, 'reason');
  }

  /** User properties (0x26). The live list: appending to it changes these properties. */
  userProperties(): QMqttUserProperties {
    return this.d.userProperties;
  }

  /** Replaces the user properties with a copy of `user`. */
  setUserProperties(user: UserPropertiesInit): void {
    this.d.userProperties = new QMqttUserProperties(user);
  }

  /** An independent copy. */
  copy(): QMqttAuthenticationProperties {
    const c = new QMqttAuthenticationProperties();
    c.d.authenticationMethod = this.d.authenticationMethod;
    c.d.authenticationData = Buffer.from(this.d.authenticationData);
    c.d.reason = this.d.reason;
    c.d.userProperties = this.d.userProperties.copy();
    return c;
  }
}
