import * as fs from 'node:fs';
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import { ProtocolVersion, TransportType } from '../../lib/state';
import { readQuickAck, tcpQuickAckUnavailable } from '../../lib/transport/quick-ack';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';

/*
 * Issue #7 / perf-anchor F3: against a broker with Nagle's algorithm on (mosquitto's default), a client in Linux's
 * delayed-ACK ("ping-pong") mode makes every QoS 1 response wait 40 ms for the broker's PUBACK to be acknowledged.
 * * The client sets TCP_QUICKACK when it reads an answer with nothing to send; the kernel reports the mode back through getsockopt, so these
 * tests read the socket's state instead of timing anything (the benchmark measures the round trip).
 */

/** The client's own TCP socket to `port` (the one the library opened). */
function clientSocket(port: number): net.Socket {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const mine = handles.filter((h): h is net.Socket => h instanceof net.Socket && h.remotePort === port);
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

/**
 * The moment that matters: a QoS 1 PUBLISH written right after the client read its SUBACK (so Linux is in
 * ping-pong mode), then the PUBACK read and nothing more to write. Returns the socket's TCP_QUICKACK right then:
 * 1 when the ACK for the PUBACK went out at once, 0 while it is still delayed (for 40 ms).
 */
async function stateAfterPuback(
  c: QMqttClient,
  socket: () => net.Socket,
  topic: string,
): Promise<number | undefined> {
  await c.subscribeAsync(`${topic}/sub`, 1);
  await c.publishAsync(`${topic}/pub`, 'ping', 1);
  return readQuickAck(socket());
}

describe('TCP_QUICKACK against a default mosquitto (Nagle on) [perf-anchor F3]', () => {
  let m: MosquittoBroker;
  beforeAll(async () => {
    m = await startMosquitto({ tls: true, websockets: true });
  });
  afterAll(async () => {
    await m.stop();
  });

  it('is available on this Linux machine (the optional dependency koffi is installed and loads)', () => {
    expect(tcpQuickAckUnavailable()).toBeUndefined();
    expect(QMqttClient.tcpQuickAckUnavailable()).toBeUndefined();
  });

  it('is on by default and can be turned off, from the constructor or the setter', () => {
    expect(new QMqttClient().tcpQuickAck()).toBe(true);
    expect(new QMqttClient({ tcpQuickAck: false }).tcpQuickAck()).toBe(false);
    const c = new QMqttClient();
    c.setTcpQuickAck(false);
    expect(c.tcpQuickAck()).toBe(false);
  });

  const transports = [
    {
      name: 'TCP',
      port: () => m.port,
      connect: (c: QMqttClient) => c.connectToHostAsync(),
    },
    {
      name: 'TLS',
      port: () => m.tlsPort!,
      connect: (c: QMqttClient) => c.connectToHostEncryptedAsync({ ca: fs.readFileSync(m.certs!.caCert) }),
    },
    {
      name: 'WebSocket',
      port: () => m.wsPort!,
      connect: (c: QMqttClient) => c.connectToHostWebSocketAsync(),
    },
  ];
  for (const t of transports) {
    for (const on of [true, false]) {
      it(`${t.name}, tcpQuickAck ${on}: the PUBACK ${on ? 'is acknowledged at once' : 'waits for the delayed ACK'} (v3.1.1 and v5)`, async () => {
        for (const v of [ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5_0]) {
          const c = new QMqttClient({ tcpQuickAck: on });
          c.setHostname('localhost');
          c.setPort(t.port());
          c.setProtocolVersion(v);
          await t.connect(c);
          try {
            const state = await stateAfterPuback(
              c,
              () => clientSocket(t.port()),
              `quickack/${t.name}/${on}/${v}`,
            );
            expect(state).toBe(on ? 1 : 0);
          } finally {
            await c.disconnectFromHostAsync();
          }
        }
      });
    }
  }

  it('a socket given with setTransport gets it too', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: m.port });
    await new Promise((r) => socket.once('connect', r));
    const c = new QMqttClient();
    c.setTransport(socket, TransportType.AbstractSocket);
    await c.connectToHostAsync();
    try {
      expect(await stateAfterPuback(c, () => socket, 'quickack/own-socket')).toBe(1);
    } finally {
      await c.disconnectFromHostAsync();
    }
  });
});
