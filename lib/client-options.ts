import type { Clock } from './clock';
import type { SessionStore } from './session/store';

/** Options beyond Qt's properties, given to the constructor. */
export interface QMqttClientOptions {
  /** Time source for keepalive, timeouts and reconnect backoff (tests inject a fake one). */
  clock?: Clock;
  /** Where the session is kept; in memory by default. */
  sessionStore?: SessionStore;
  /** Milliseconds to wait for CONNACK (default 30 000). */
  connectTimeout?: number;
  /**
   * Most QoS 1/2 messages in flight: under 3.1/3.1.1 (default 20, mosquitto's default limit); under MQTT 5 the
   * broker's Receive Maximum applies, lowered by this only when it is set.
   */
  maxInflight?: number;
  /** TCP_QUICKACK for the broker's answers (Linux; default true): see `setTcpQuickAck`. */
  tcpQuickAck?: boolean;
}
