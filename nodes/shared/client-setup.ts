/** Applies a broker configuration to a fresh `QMqttClient` (all setters; the client is Disconnected). */
import fs from 'node:fs';
import path from 'node:path';
import {
  FileSessionStore,
  QMqttClient,
  QMqttConnectionProperties,
  QMqttLastWillProperties,
  type SessionStore,
  type SslConfiguration,
} from '../../lib';
import type { BrokerConfig, BrokerCredentials } from './config';
import type { TlsConfigNode } from './node-red-types';

export function createClient(
  cfg: BrokerConfig,
  creds: Partial<BrokerCredentials>,
  sessionStore?: SessionStore,
): QMqttClient {
  const client = new QMqttClient({ connectTimeout: cfg.connectTimeout, sessionStore });
  client.setHostname(cfg.host);
  client.setPort(cfg.port);
  if (cfg.clientId) client.setClientId(cfg.clientId);
  else if (cfg.protocolVersion === 5) client.setClientId(''); // MQTT 5: let the broker assign one
  if (creds.user) client.setUsername(creds.user);
  if (creds.password) client.setPassword(creds.password);
  client.setProtocolVersion(cfg.protocolVersion);
  client.setKeepAlive(cfg.keepAlive);
  client.setAutoKeepAlive(cfg.autoKeepAlive);
  client.setCleanSession(cfg.cleanSession);
  if (cfg.servers.length > 0) client.setServers(cfg.servers);
  client.setAutoReconnect(cfg.autoReconnect);
  client.setReconnectDelay(cfg.reconnectDelay);
  client.setMaxReconnectDelay(cfg.maxReconnectDelay);
  if (cfg.maxInflight !== undefined) client.setMaxInflight(cfg.maxInflight);
  client.setTcpQuickAck(cfg.tcpQuickAck);
  client.setOfflineQueueLimits(cfg.offlineQueueMessages, cfg.offlineQueueBytes);
  if (cfg.will) {
    client.setWillTopic(cfg.will.topic);
    client.setWillMessage(cfg.will.payload);
    client.setWillQoS(cfg.will.qos);
    client.setWillRetain(cfg.will.retain);
  }
  if (cfg.protocolVersion === 5) {
    const cp = new QMqttConnectionProperties();
    cp.setSessionExpiryInterval(cfg.sessionExpiry);
    cp.setMaximumReceive(cfg.receiveMaximum);
    cp.setMaximumPacketSize(cfg.maximumPacketSize);
    cp.setMaximumTopicAlias(cfg.topicAliasMaximum);
    cp.setRequestResponseInformation(cfg.requestResponseInformation);
    cp.setRequestProblemInformation(cfg.requestProblemInformation);
    cp.setUserProperties(cfg.userProperties);
    if (cfg.authMethod) cp.setAuthenticationMethod(cfg.authMethod);
    client.setConnectionProperties(cp);
    if (cfg.will) {
      const w = cfg.will;
      const lw = new QMqttLastWillProperties();
      if (w.willDelayInterval !== undefined) lw.setWillDelayInterval(w.willDelayInterval);
      if (w.messageExpiryInterval !== undefined) lw.setMessageExpiryInterval(w.messageExpiryInterval);
      if (w.contentType) lw.setContentType(w.contentType);
      if (w.responseTopic) lw.setResponseTopic(w.responseTopic);
      if (w.correlationData) lw.setCorrelationData(w.correlationData);
      if (Object.keys(w.userProperties).length) lw.setUserProperties(w.userProperties);
      client.setLastWillProperties(lw);
    }
  }
  return client;
}

const TLS_KEYS = [
  'ca',
  'cert',
  'key',
  'passphrase',
  'servername',
  'rejectUnauthorized',
  'ALPNProtocols',
] as const;

/** TLS options from a core `tls-config` node (certificates, key, passphrase, server name, verification, ALPN). */
export function tlsOptionsFrom(tlsNode: TlsConfigNode | null): SslConfiguration {
  if (!tlsNode) return {};
  const raw = tlsNode.addTLSOptions({});
  const out: Record<string, unknown> = {};
  for (const k of TLS_KEYS) if (raw[k] !== undefined && raw[k] !== '') out[k] = raw[k];
  return out;
}

/**
 * The session file of broker node `id`: `<userDir>/qmqtt-sessions/<id>.log` (a crash-safe append log, see
 * `FileSessionStore`), or in the working directory when the runtime has no user directory.
 */
export function openSessionFile(userDir: string | undefined, id: string): FileSessionStore {
  const dir = path.join(userDir ?? process.cwd(), 'qmqtt-sessions');
  fs.mkdirSync(dir, { recursive: true });
  return new FileSessionStore(path.join(dir, `${id.replace(/[^\w.-]/g, '_')}.log`));
}
