import * as fs from 'node:fs';
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import { ProtocolVersion, TransportType } from '../../lib/state';
import { STREAM_ACK_DELAY_MS } from '../../lib/core/quick-ack-policy';
import { readQuickAck, tcpQuickAckUnavailable } from '../../lib/transport/quick-ack';
import { clientSocket } from '../helpers/client-socket';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';

/*
 * Issue #7 / perf-anchor F3: against a broker with Nagle's algorithm on (mosquitto's default), a client in Linux's
 * delayed-ACK ("ping-pong") mode makes every QoS 1 response wait 40 ms for the broker's PUBACK to be acknowledged.
 * * The client sets TCP_QUICKACK when it reads an answer with nothing to send; the kernel reports the mode back through getsockopt, so these
 * tests read the socket's state instead of timing anything (the benchmark measures the round trip).
 */

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

  /**
   * Rule 2 (core/quick-ack-policy.ts): a subscriber that acknowledged every read of a stream at once made mosquitto
   * send it segments of a few messages each. Samples the subscriber socket's TCP_QUICKACK after its reads while
   * 5,000 QoS 0 messages stream in, and once more after the stream.
   */
  async function streamStates(
    on: boolean,
    topic: string,
  ): Promise<{ during: Set<number>; after: number | undefined }> {
    const sub = new QMqttClient({ tcpQuickAck: on });
    const pub = new QMqttClient();
    sub.setHostname('localhost');
    sub.setPort(m.port);
    await sub.connectToHostAsync();
    const socket = clientSocket(m.port); // before the publisher opens a second one
    pub.setHostname('localhost');
    pub.setPort(m.port);
    await pub.connectToHostAsync();
    try {
      await sub.subscribeAsync(topic, 0);
      // the SUBACK read right after our SUBSCRIBE left the socket in ping-pong mode until the kernel's delayed
      // ACK timer (about 40 ms): start from a socket that acknowledges at once, so what follows is the stream's doing
      for (let i = 0; i < 100 && readQuickAck(socket) !== 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(readQuickAck(socket)).toBe(1);
      const during = new Set<number>();
      let sampling = false;
      let got = 0;
      const total = 5000;
      const done = new Promise<void>((resolve) => {
        sub.messageReceived.connect(() => {
          if (++got === total) resolve();
          if (sampling) return;
          sampling = true;
          setImmediate(() => {
            sampling = false;
            const state = readQuickAck(socket);
            if (state !== undefined) during.add(state);
          });
        });
      });
      const payload = Buffer.alloc(64, 7);
      for (let i = 0; i < total; i++) pub.publish(topic, payload, 0);
      await done;
      await new Promise((r) => setTimeout(r, 20 * STREAM_ACK_DELAY_MS));
      return { during, after: readQuickAck(socket) };
    } finally {
      await Promise.all([sub.disconnectFromHostAsync(), pub.disconnectFromHostAsync()]);
    }
  }

  it('rule 2: a subscriber delays its ACKs while a stream comes in and acknowledges once it ends', async () => {
    const { during, after } = await streamStates(true, 'quickack/stream/on');
    expect(during.has(0)).toBe(true); // delayed ACKs (ping-pong mode) while messages stream in
    expect(after).toBe(1); // the held ACK went out STREAM_ACK_DELAY_MS after the last read
  });

  it('rule 2: with tcpQuickAck off the kernel decides alone (a pure reader never enters ping-pong mode)', async () => {
    const { during, after } = await streamStates(false, 'quickack/stream/off');
    expect([...during]).toEqual([1]);
    expect(after).toBe(1);
  });

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
