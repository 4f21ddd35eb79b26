import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import mqtt, { type IConnackPacket, type IConnectPacket, type Packet } from 'mqtt-packet';
import WebSocket, { createWebSocketStream } from 'ws';

/** Opens a TCP connection; resolves once connected. */
export function openTcp(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Opens a TLS connection; resolves after the handshake (rejects with the TLS/cert error otherwise). */
export function openTls(options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect(options);
    s.once('secureConnect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Opens an MQTT-over-WebSocket connection (subprotocol "mqtt") and returns it as a byte stream. */
export function openWs(url: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'mqtt');
    ws.once('open', () => {
      ws.off('error', reject);
      const stream = createWebSocketStream(ws);
      resolve(stream);
    });
    ws.once('error', reject);
  });
}

/**
 * Sends a CONNECT (defaults: MQTT 3.1.1, clean session, keepalive 30, random client id) and resolves
 * with the first packet the broker answers (normally the CONNACK). Rejects if the stream closes first
 * or nothing arrives in timeoutMs. The stream is left open.
 */
export function rawConnect(
  stream: Duplex,
  connect: Partial<Omit<IConnectPacket, 'cmd'>> = {},
  timeoutMs = 5000,
): Promise<IConnackPacket> {
  const packet: IConnectPacket = {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    keepalive: 30,
    clientId: `harness-${Math.random().toString(16).slice(2, 10)}`,
    ...connect,
  };
  return new Promise((resolve, reject) => {
    const parser = mqtt.parser({ protocolVersion: packet.protocolVersion ?? 4 });
    const cleanup = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('close', onClose);
      stream.off('error', onError);
      parser.removeAllListeners();
    };
    const onData = (b: Buffer): void => {
      parser.parse(b);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('rawConnect: connection closed before CONNACK'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    parser.on('packet', (p: Packet) => {
      cleanup();
      if (p.cmd === 'connack') resolve(p);
      else reject(new Error(`rawConnect: expected connack, got ${p.cmd}`));
    });
    parser.on('error', onError);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`rawConnect: no CONNACK within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on('data', onData);
    stream.once('close', onClose);
    stream.once('error', onError);
    stream.write(mqtt.generate(packet));
  });
}

/** Resolves when the stream is closed by the peer (or rejects after timeoutMs). */
export function waitClosed(stream: Duplex, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) {
      resolve();
      return;
    }
    const timer = setTimeout(
      () => reject(new Error(`waitClosed: still open after ${timeoutMs} ms`)),
      timeoutMs,
    );
    stream.on('error', () => {});
    stream.resume();
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
