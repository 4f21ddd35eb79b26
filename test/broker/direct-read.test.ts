import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as mqtt from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import { ClientError, ClientState, ProtocolVersion } from '../../lib/state';
import { varIntBytes } from '../../lib/packet/size';
import { directReaderOf } from '../../lib/transport/direct-read';
import { clientSocket } from '../helpers/client-socket';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { waitFor } from '../helpers/wait';

/*
 * Issue #7 (1 MiB rows): over TCP the client reads with Node's `onread` option, straight into the buffer a large
 * packet is assembled in, and small reads through one scratch buffer. What must hold whatever the reads look
 * like: every payload byte-exact, payloads the application keeps never overwritten, malformed packets refused.
 */

/** `size` bytes that differ from message to message (so a payload overwritten by another shows). */
function pattern(seq: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (seq * 31 + i * 7) & 0xff;
  return b;
}

async function connected(port: number, v: ProtocolVersion): Promise<QMqttClient> {
  const c = new QMqttClient();
  c.setHostname('127.0.0.1');
  c.setPort(port);
  c.setProtocolVersion(v);
  await c.connectToHostAsync();
  return c;
}

describe('direct reads over TCP against mosquitto (issue #7)', () => {
  let m: MosquittoBroker;
  beforeAll(async () => {
    m = await startMosquitto({ extraConfig: 'max_queued_messages 100000' });
  });
  afterAll(async () => {
    await m.stop();
  });

  for (const v of [ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5_0]) {
    it(`v${v}: large payloads arrive byte-exact, read straight into their own buffer`, async () => {
      const sub = await connected(m.port, v);
      const reader = directReaderOf(clientSocket(m.port))!;
      const pub = await connected(m.port, v);
      try {
        const topic = `direct/large/${v}`;
        await sub.subscribeAsync(topic, 1);
        const got: Buffer[] = [];
        sub.messageReceived.connect((p) => got.push(p));
        const sizes = [1 << 20, 5 * (1 << 20) + 3, 200_001, 40_000];
        const sent = sizes.map((s, i) => pattern(i, s));
        for (const p of sent) await pub.publishAsync(topic, p, 1);
        await waitFor(() => got.length === sent.length, 'all large messages');
        got.forEach((p, i) => expect(p.equals(sent[i]!), `message ${i}`).toBe(true));
        // all but at most the first 64 KiB read of each packet and its last < 32 KiB went straight in
        const total = sizes.reduce((a, b) => a + b, 0);
        expect(reader.directBytes).toBeGreaterThan(total - sizes.length * 96 * 1024);
      } finally {
        await pub.disconnectFromHostAsync();
        await sub.disconnectFromHostAsync();
      }
    });
  }

  it('thousands of small payloads the application keeps stay intact, mixed with large ones', async () => {
    const sub = await connected(m.port, ProtocolVersion.MQTT_3_1_1);
    const pub = await connected(m.port, ProtocolVersion.MQTT_3_1_1);
    try {
      await sub.subscribeAsync('direct/mixed', 0);
      const kept: Buffer[] = [];
      sub.messageReceived.connect((p) => kept.push(p));
      const sent: Buffer[] = [];
      for (let i = 0; i < 4000; i++) {
        const size = i % 500 === 499 ? 300_000 : 1 + ((i * 37) % 3000);
        const p = pattern(i, size);
        sent.push(p);
        pub.publish('direct/mixed', p, 0);
      }
      await pub.publishAsync('direct/mixed/end', 'x', 1);
      await waitFor(() => kept.length === sent.length, 'all mixed messages');
      const bad = kept.findIndex((p, i) => !p.equals(sent[i]!));
      expect(bad).toBe(-1);
    } finally {
      await pub.disconnectFromHostAsync();
      await sub.disconnectFromHostAsync();
    }
  });
});

/**
 * A TCP peer that answers CONNECT with CONNACK and then writes `parts` one by one, each after the client had
 * time to read the one before (so the client sees them as separate reads, whatever their boundaries).
 */
async function scriptedTcpBroker(parts: Buffer[]): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((s) => {
    s.once('data', () => {
      s.write(mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
      const next = (i: number): void => {
        if (i >= parts.length || s.destroyed) return;
        s.write(parts[i]!);
        setTimeout(() => next(i + 1), 15);
      };
      setTimeout(() => next(0), 15);
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

function publishBytes(topic: string, payload: Buffer): Buffer {
  return mqtt.generate({ cmd: 'publish', topic, payload, qos: 0, dup: false, retain: false });
}

describe('direct reads over TCP against a byte-scripted peer (issue #7, #8)', () => {
  it('a large PUBLISH cut at every awkward place, then small ones, arrives whole and in order', async () => {
    const payloads = [
      crypto.randomBytes(300_000),
      Buffer.from('one'),
      crypto.randomBytes(100_000),
      Buffer.from('two'),
    ];
    const [big, small1, big2, small2] = ['cut/big', 'cut/s1', 'cut/big2', 'cut/s2'].map((t, i) =>
      publishBytes(t, payloads[i]!),
    ) as [Buffer, Buffer, Buffer, Buffer];
    const stream = Buffer.concat([big, small1, big2, small2]);
    // cuts: inside the fixed header, just after it, inside the topic, deep in the payload, 1 byte before the
    // end of the first packet (so a packet end and the next start share a read), inside the second large one
    const cuts = [1, 3, 8, 70_000, big.length - 1, big.length + small1.length + 2, stream.length - 5];
    const parts = [0, ...cuts].map((c, i, a) => stream.subarray(c, a[i + 1] ?? stream.length));
    const peer = await scriptedTcpBroker(parts);
    const c = new QMqttClient();
    c.setHostname('127.0.0.1');
    c.setPort(peer.port);
    try {
      const got: Array<[string, Buffer]> = [];
      c.messageReceived.connect((p, t) => got.push([t.name(), p]));
      await c.connectToHostAsync();
      await waitFor(() => got.length === 4, 'four messages');
      expect(got.map(([t]) => t)).toEqual(['cut/big', 'cut/s1', 'cut/big2', 'cut/s2']);
      got.forEach(([, p], i) => expect(p.equals(payloads[i]!), `message ${i}`).toBe(true));
    } finally {
      c.disconnectFromHost();
      peer.close();
    }
  });

  it('[MQTT-4.7.3-1] a large PUBLISH with a wildcard in its topic, read straight in, is refused as malformed', async () => {
    const body = Buffer.concat([Buffer.from([0, 3]), Buffer.from('a/#'), crypto.randomBytes(200_000)]);
    const head = Buffer.from([0x30, ...varIntBytes(body.length)]);
    const peer = await scriptedTcpBroker([Buffer.concat([head, body.subarray(0, 10)]), body.subarray(10)]);
    const c = new QMqttClient();
    c.setHostname('127.0.0.1');
    c.setPort(peer.port);
    const received: Buffer[] = [];
    c.messageReceived.connect((p) => received.push(p));
    try {
      await c.connectToHostAsync();
      await waitFor(() => c.state() === ClientState.Disconnected, 'the client to close the connection');
      expect(c.error()).toBe(ClientError.ProtocolViolation);
      expect(received).toHaveLength(0);
    } finally {
      peer.close();
    }
  });
});
