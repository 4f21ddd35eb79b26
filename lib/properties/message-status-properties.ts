/**
 * `QMqttMessageStatusProperties`: the reason code, reason string and user properties of an acknowledgement
 * (PUBACK / PUBREC / PUBREL / PUBCOMP), delivered with `QMqttClient.messageStatusChanged` (MQTT 5 only).
 */
import { ReasonCode } from '../reason-codes';
import { QMqttUserProperties } from './user-properties';

/** Read-only: only the library fills it (through {@link QMqttMessageStatusProperties.create}). */
export class QMqttMessageStatusProperties {
  private code: ReasonCode = ReasonCode.Success;
  private reasonString = '';
  private user: QMqttUserProperties = new QMqttUserProperties();

  /**
   * @internal Builds one for the library. `userProperties` is taken over, not copied (the library makes a
   * fresh list per packet).
   */
  static create(
    reasonCode: number = ReasonCode.Success,
    reason = '',
    userProperties?: QMqttUserProperties,
  ): QMqttMessageStatusProperties {
    const p = new QMqttMessageStatusProperties();
    p.code = reasonCode;
    p.reasonString = reason;
    if (userProperties !== undefined) p.user = userProperties;
    return p;
  }

  /** Reason code of the acknowledgement. Default Success (also under MQTT 3.1.1, where there is none). */
  reasonCode(): ReasonCode {
    return this.code;
  }

  /** Reason string, if the server sent one. */
  reason(): string {
    return this.reasonString;
  }

  /** User properties that came with the acknowledgement. */
  userProperties(): QMqttUserProperties {
    return this.user;
  }

  /** An independent copy. */
  copy(): QMqttMessageStatusProperties {
    return QMqttMessageStatusProperties.create(this.code, this.reasonString, this.user.copy());
  }
}
