/**
 * Enumerations of Qt MQTT, with Qt's numeric values (qtmqtt-api.json).
 * They are TypeScript numeric enums so that `ClientState.Connected === 2` as in Qt.
 */

/** How the client reaches the broker (`QMqttClient::TransportType`). */
export enum TransportType {
  /** Any already-open Node.js Duplex stream (Qt: a QIODevice). */
  IODevice = 0,
  /** A TCP socket (Qt: a QAbstractSocket). The default when the client opens the connection itself. */
  AbstractSocket = 1,
  /** A TLS socket (Qt: a QSslSocket). */
  SecureSocket = 2,
  /** A WebSocket (`ws://`), Qt 6.10. */
  WebSocket = 3,
  /** A secure WebSocket (`wss://`), Qt 6.10. */
  SecureWebSocket = 4,
}

/** Connection state (`QMqttClient::ClientState`). */
export enum ClientState {
  Disconnected = 0,
  Connecting = 1,
  Connected = 2,
}

/** Error state (`QMqttClient::ClientError`). Values 1–5 equal the MQTT 3.1.1 CONNACK return codes. */
export enum ClientError {
  NoError = 0,
  InvalidProtocolVersion = 1,
  IdRejected = 2,
  ServerUnavailable = 3,
  BadUsernameOrPassword = 4,
  NotAuthorized = 5,
  TransportInvalid = 256,
  ProtocolViolation = 257,
  UnknownError = 258,
  Mqtt5SpecificError = 259,
}

/** The protocol level byte sent in CONNECT (`QMqttClient::ProtocolVersion`). */
export enum ProtocolVersion {
  MQTT_3_1 = 3,
  MQTT_3_1_1 = 4,
  MQTT_5_0 = 5,
}

/** Progress of a QoS 1/2 exchange (`QMqtt::MessageStatus`). */
export enum MessageStatus {
  Unknown = 0,
  Published = 1,
  Acknowledged = 2,
  Received = 3,
  Released = 4,
  Completed = 5,
}

/** `QMqtt::PayloadFormatIndicator`. */
export enum PayloadFormatIndicator {
  Unspecified = 0,
  UTF8Encoded = 1,
}

/** Lifecycle of a subscription (`QMqttSubscription::SubscriptionState`). */
export enum SubscriptionState {
  Unsubscribed = 0,
  SubscriptionPending = 1,
  Subscribed = 2,
  UnsubscriptionPending = 3,
  Error = 4,
}

/** `QMqttTopicFilter::MatchOption` (flags). */
export enum MatchOption {
  NoMatchOption = 0,
  WildcardsDontMatchDollarTopicMatchOption = 1,
}
