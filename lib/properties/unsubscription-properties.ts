/** `QMqttUnsubscriptionProperties`: the properties of UNSUBSCRIBE (MQTT 5 only; MQTT 5.0 §3.10.2.1). */
import { QMqttUserProperties, type UserPropertiesInit } from './user-properties';

/** Passed to `unsubscribe(filter, properties)`; holds only user properties. */
export class QMqttUnsubscriptionProperties {
  private user = new QMqttUserProperties();

  /** User properties (0x26). The live list: appending to it changes these properties. */
  userProperties(): QMqttUserProperties {
    return this.user;
  }

  /** Replaces the user properties with a copy of `user`. */
  setUserProperties(user: UserPropertiesInit): void {
    this.user = new QMqttUserProperties(user);
  }

  /** An independent copy. */
  copy(): QMqttUnsubscriptionProperties {
    const c = new QMqttUnsubscriptionProperties();
    c.user = this.user.copy();
    return c;
  }
}
