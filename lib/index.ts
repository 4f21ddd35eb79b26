/**
 * node-red-contrib-qmqtt — an MQTT 3.1 / 3.1.1 / 5.0 client with the API of Qt's QMqttClient.
 * Public exports only.
 */
export { QMqttClient } from './client';
export type { QMqttClientOptions, PublishResult, Payload, TopicNameLike, TopicFilterLike } from './client';
export { QMqttMessage } from './message';
export { QMqttSubscription } from './subscription';
export { Signal } from './signal';
export type { SignalConnection, ListenerErrorHandler } from './signal';
export {
  ClientError,
  ClientState,
  MatchOption,
  MessageStatus,
  PayloadFormatIndicator,
  ProtocolVersion,
  SubscriptionState,
  TransportType,
} from './state';
export { ReasonCode, reasonCodeName } from './reason-codes';
import { MessageStatus as QMessageStatus, PayloadFormatIndicator as QPayloadFormatIndicator } from './state';
import { ReasonCode as QReasonCode } from './reason-codes';
/** Qt's `QMqtt` namespace: `QMqtt.MessageStatus`, `QMqtt.PayloadFormatIndicator`, `QMqtt.ReasonCode`. */
export const QMqtt = {
  MessageStatus: QMessageStatus,
  PayloadFormatIndicator: QPayloadFormatIndicator,
  ReasonCode: QReasonCode,
} as const;
export { QMqttError, QMqttInvalidArgumentError, QMqttNotConnectedError, QMqttProtocolError } from './errors';
export * from './topic';
export * from './properties';
export type { Clock, TimerHandle } from './clock';
export { systemClock } from './clock';
export type { SessionStore, StoredOutgoing, OutgoingStage } from './session/store';
export { MemorySessionStore } from './session/store';
export { FileSessionStore } from './session/file-store';
export type { FileSessionStoreOptions } from './session/file-store';
export type { SslConfiguration } from './transport/open';
export type { WebSocketOptions } from './transport/websocket';
export { parseServerUrl } from './transport/url';
export type { ServerAddress } from './transport/url';
export { registerClient, unregisterClient, clientOf, scoped, standalone } from './registry';
export type { ClientScope, ScopeHost } from './registry';
