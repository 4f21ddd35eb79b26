import type { Duplex } from 'node:stream';
import type { ConnectPacket } from './packet/codec';
import { ProtocolVersion } from './state';
import type { QMqttConnectionProperties } from './properties';
import type { QMqttLastWillProperties } from './properties';
import { connectPropertiesToWire, willPropertiesToWire } from './properties';

/** A snapshot of the client's properties taken when a connection attempt starts. */
export interface ConnectConfig {
  clientId: string;
  username: string;
  password: string;
  keepAlive: number;
  autoKeepAlive: boolean;
  cleanSession: boolean;
  protocolVersion: ProtocolVersion;
  willTopic: string;
  willMessage: Buffer;
  willQoS: 0 | 1 | 2;
  willRetain: boolean;
  connectionProperties: QMqttConnectionProperties;
  lastWillProperties: QMqttLastWillProperties;
  /** Milliseconds to wait for CONNACK. */
  connectTimeout: number;
  /** Acknowledge the broker's answers at once with TCP_QUICKACK (Linux; core/quick-ack-policy.ts). */
  tcpQuickAck: boolean;
  /** Opens the byte stream to the broker. */
  openTransport: () => Promise<Duplex>;
}

/** Builds the CONNECT packet (§3.1). Only set fields are written. */
export function buildConnectPacket(cfg: ConnectConfig): ConnectPacket {
  const v5 = cfg.protocolVersion === ProtocolVersion.MQTT_5_0;
  const packet: ConnectPacket = {
    cmd: 'connect',
    protocolId: cfg.protocolVersion === ProtocolVersion.MQTT_3_1 ? 'MQIsdp' : 'MQTT',
    protocolVersion: cfg.protocolVersion,
    clientId: cfg.clientId,
    clean: cfg.cleanSession,
    keepalive: cfg.keepAlive,
  };
  // [MQTT-3.1.2-22] a password without a user name is not allowed in 3.1.1 (v5 allows it)
  if (cfg.username) packet.username = cfg.username;
  if (cfg.password) packet.password = Buffer.from(cfg.password, 'utf8'); // v3: needs a user name, see startConnect
  if (cfg.willTopic) {
    packet.will = {
      topic: cfg.willTopic,
      payload: cfg.willMessage,
      qos: cfg.willQoS,
      retain: cfg.willRetain,
    };
    if (v5) {
      const wp = willPropertiesToWire(cfg.lastWillProperties);
      if (wp) packet.will.properties = wp;
    }
  }
  if (v5) {
    const props = connectPropertiesToWire(cfg.connectionProperties);
    if (props) packet.properties = props;
  }
  return packet;
}
