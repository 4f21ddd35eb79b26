/** The MQTT 5 property classes, their wire conversions and the checks against the server's limits. */
export { QMqttStringPair, QMqttUserProperties, type UserPropertiesInit } from './user-properties';
export { QMqttConnectionProperties } from './connection-properties';
export { QMqttServerConnectionProperties, ServerPropertyDetail } from './server-connection-properties';
export { QMqttLastWillProperties } from './last-will-properties';
export { QMqttPublishProperties, PublishPropertyDetail } from './publish-properties';
export { QMqttMessageStatusProperties } from './message-status-properties';
export { QMqttSubscriptionProperties, RetainHandling } from './subscription-properties';
export { QMqttUnsubscriptionProperties } from './unsubscription-properties';
export { QMqttAuthenticationProperties } from './authentication-properties';
export * from './wire';
export * from './checks';
