import type { Duplex } from 'node:stream';
import type * as Ws from 'ws';
import { registerRawSocket } from './quick-ack';
import { warnInsecure, type SslConfiguration } from './open';

/** Options for the WebSocket transports (Qt 6.10 `connectToHostWebSocket[Encrypted]`). */
export interface WebSocketOptions {
  /** Request path, default `/mqtt` (mosquitto, EMQX, HiveMQ, Aedes examples all use it). */
  path?: string;
  /** Extra HTTP headers for the upgrade request (e.g. an Authorization token). */
  headers?: Record<string, string>;
  /** TLS options for `wss://` (certificate verification stays on unless `rejectUnauthorized: false`). */
  tls?: SslConfiguration;
  /** Sub-protocol; default `mqtt` (`mqttv3.1` for MQTT 3.1, as Qt offers). */
  protocol?: string;
}

let wsModule: typeof Ws | undefined;
/** `ws`, loaded on the first WebSocket connection (it costs about 7 MB of RSS that a TCP client never needs). */
function ws(): typeof Ws {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (wsModule ??= require('ws') as typeof Ws);
}

/**
 * Opens a WebSocket to the broker and returns it as a byte stream. MQTT over WebSockets sends MQTT packets in
 * binary frames ([MQTT-6.0.0-1]) with the sub-protocol `mqtt` ([MQTT-6.0.0-3]).
 */
export function openWebSocket(url: string, opts: WebSocketOptions, protocolLevel: number): Promise<Duplex> {
  const protocol = opts.protocol ?? (protocolLevel === 3 ? 'mqttv3.1' : 'mqtt');
  if (opts.tls?.rejectUnauthorized === false) {
    const u = new URL(url);
    warnInsecure(u.hostname, Number(u.port));
  }
  return new Promise((resolve, reject) => {
    const { WebSocket, createWebSocketStream } = ws();
    const socket = new WebSocket(url, protocol, {
      headers: opts.headers,
      ...(opts.tls ?? {}),
      perMessageDeflate: false,
    });
    socket.binaryType = 'nodebuffer';
    const fail = (err: Error): void => {
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.terminate();
      reject(err);
    };
    socket.once('error', fail);
    socket.once('unexpected-response', (_req, res) =>
      fail(
        new Error(
          `WebSocket upgrade refused with HTTP ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`.trim(),
        ),
      ),
    );
    socket.once('open', () => {
      socket.off('error', fail);
      const raw = (socket as unknown as { _socket?: { setNoDelay?: (b: boolean) => void } })._socket;
      raw?.setNoDelay?.(true);
      const stream = createWebSocketStream(socket);
      if (raw) registerRawSocket(stream, raw);
      resolve(stream);
    });
  });
}

/** Builds `ws[s]://host:port/path`. */
export function webSocketUrl(secure: boolean, host: string, port: number, path = '/mqtt'): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${secure ? 'wss' : 'ws'}://${h}:${port}${path.startsWith('/') ? path : `/${path}`}`;
}
