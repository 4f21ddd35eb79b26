import { TransportType } from '../state';
import { QMqttInvalidArgumentError } from '../errors';

/** A broker address parsed from `mqtt://`, `mqtts://`, `ws://`, `wss://` (also `tcp://`, `ssl://`, `tls://`). */
export interface ServerAddress {
  transport:
    | TransportType.AbstractSocket
    | TransportType.SecureSocket
    | TransportType.WebSocket
    | TransportType.SecureWebSocket;
  host: string;
  port: number;
  /** WebSocket path. */
  path: string;
  username?: string;
  password?: string;
}

const defaults: Record<string, [ServerAddress['transport'], number]> = {
  'mqtt:': [TransportType.AbstractSocket, 1883],
  'tcp:': [TransportType.AbstractSocket, 1883],
  'mqtts:': [TransportType.SecureSocket, 8883],
  'ssl:': [TransportType.SecureSocket, 8883],
  'tls:': [TransportType.SecureSocket, 8883],
  'ws:': [TransportType.WebSocket, 80],
  'wss:': [TransportType.SecureWebSocket, 443],
};

/** Parses a broker URL; throws {@link QMqttInvalidArgumentError} with the reason when it is not one. */
export function parseServerUrl(url: string): ServerAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QMqttInvalidArgumentError(
      `Not a broker URL: "${url}" (expected mqtt://, mqtts://, ws:// or wss://)`,
    );
  }
  const d = defaults[u.protocol];
  if (!d) throw new QMqttInvalidArgumentError(`Unsupported scheme "${u.protocol}" in "${url}"`);
  if (!u.hostname) throw new QMqttInvalidArgumentError(`No host in "${url}"`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const addr: ServerAddress = {
    transport: d[0],
    host,
    port: u.port ? Number(u.port) : d[1],
    path: u.pathname && u.pathname !== '/' ? u.pathname + u.search : '/mqtt',
  };
  if (u.username) addr.username = decodeURIComponent(u.username);
  if (u.password) addr.password = decodeURIComponent(u.password);
  return addr;
}
