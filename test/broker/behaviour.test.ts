import * as net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import type { QMqttMessage } from '../../lib/message';
import { ClientError, ClientState, ProtocolVersion, TransportType } from '../../lib/state';
import { brokerTargets, type RunningBroker } from '../helpers/brokers';
import { waitFor } from '../helpers/wait';

/**
 * DESIGN §4 layer 3: one behaviour suite re-run per broker × protocol version against real brokers:
 * Aedes in-process and a mosquitto process started on a free port.
 */
const matrix = brokerTargets.flatMap((target) =>
  [
    ProtocolVersion.MQTT_3_1,
    ProtocolVersion.MQTT_3_1_1,
    ...(target.supportsV5 ? [ProtocolVersion.MQTT_5_0] : []),
  ].map((version) => ({ target, version, label: `${target.name} v${version}` })),
);

describe.each(matrix)('$label', ({ target, version }) => {
  let broker: RunningBroker;
  const clients: QMqttClient[] = [];
  let n = 0;

  beforeAll(async () => {
    broker = await target.start();
  });
  afterAll(async () => {
    await broker.stop();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnectFromHostAsync()));
  });

  function makeClient(id = `c${version}-${++n}-${process.pid}`): QMqttClient {
    const c = new QMqttClient();
    c.setHostname(broker.host);
    c.setPort(broker.port);
    c.setProtocolVersion(version);
    c.setClientId(id);
    clients.push(c);
    return c;
  }

  it('connects and disconnects; state and signals in order', async () => {
    const c = makeClient();
    const seen: string[] = [];
    c.stateChanged.connect((s) => seen.push(ClientState[s]));
    c.connected.connect(() => seen.push('connected'));
    c.disconnected.connect(() => seen.push('disconnected'));
    await c.connectToHostAsync();
    await c.disconnectFromHostAsync();
    expect(seen).toEqual(['Connecting', 'Connected', 'connected', 'Disconnected', 'disconnected']);
    expect(c.error()).toBe(ClientError.NoError);
  });

  it('a closed port gives TransportInvalid, never a hang', async () => {
    const c = makeClient();
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    c.setPort(port);
    await expect(c.connectToHostAsync()).rejects.toMatchObject({ clientError: ClientError.TransportInvalid });
    expect(c.state()).toBe(ClientState.Disconnected);
  });

  for (const qos of [0, 1, 2] as const) {
    it(`QoS ${qos} round trip through the broker`, async () => {
      const sub = makeClient();
      const pub = makeClient();
      await sub.connectToHostAsync();
      await pub.connectToHostAsync();
      const s = await sub.subscribeAsync(`rt/${version}/${qos}/+`, qos);
      const got: QMqttMessage[] = [];
      s.messageReceived.connect((m) => got.push(m));
      const r = await pub.publishAsync(`rt/${version}/${qos}/x`, Buffer.from([0, 1, 2, 255]), qos);
      expect(r.id).toBe(qos === 0 ? 0 : 1);
      await waitFor(() => got.length === 1, 'the message');
      expect(got[0]!.payload()).toEqual(Buffer.from([0, 1, 2, 255]));
      expect(got[0]!.qos()).toBe(qos);
      expect(got[0]!.topic().name()).toBe(`rt/${version}/${qos}/x`);
    });
  }

  it('large payloads (2 MiB, written without a copy) arrive intact, interleaved with small ones', async () => {
    const sub = makeClient();
    const pub = makeClient();
    await sub.connectToHostAsync();
    await pub.connectToHostAsync();
    const topic = `large/${version}/${n}`;
    const s = await sub.subscribeAsync(topic, 1);
    const got: Buffer[] = [];
    s.messageReceived.connect((m) => got.push(m.payload()));
    const big = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32BE(i, i);
    await Promise.all([
      pub.publishAsync(topic, 'small-1', 1),
      pub.publishAsync(topic, big, 1),
      pub.publishAsync(topic, 'small-2', 1),
    ]);
    await waitFor(() => got.length === 3, 'three messages');
    expect(got[0]!.toString()).toBe('small-1');
    expect(got[1]!.equals(big)).toBe(true);
    expect(got[2]!.toString()).toBe('small-2');
  });

  it('retained messages reach a later subscriber with the retain flag', async () => {
    const pub = makeClient();
    await pub.connectToHostAsync();
    const topic = `retained/${version}/${n}`;
    await pub.publishAsync(topic, 'kept', 1, true);
    const sub = makeClient();
    await sub.connectToHostAsync();
    const s = await sub.subscribeAsync(topic, 1);
    const got: QMqttMessage[] = [];
    s.messageReceived.connect((m) => got.push(m));
    await waitFor(() => got.length === 1, 'the retained message');
    expect(got[0]!.retain()).toBe(true);
    expect(got[0]!.payload().toString()).toBe('kept');
    await pub.publishAsync(topic, '', 1, true); // clear it
  });

  it('the will is delivered when the connection is lost abnormally', async () => {
    const watcher = makeClient();
    await watcher.connectToHostAsync();
    const topic = `will/${version}/${n}`;
    const s = await watcher.subscribeAsync(topic, 1);
    const got: QMqttMessage[] = [];
    s.messageReceived.connect((m) => got.push(m));

    const dying = makeClient();
    dying.setWillTopic(topic);
    dying.setWillMessage('gone');
    dying.setWillQoS(1);
    const socket = net.connect(broker.port, broker.host);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    dying.setTransport(socket, TransportType.AbstractSocket);
    await dying.connectToHostAsync();
    socket.destroy(); // abnormal: no DISCONNECT
    await waitFor(() => got.length === 1, 'the will message');
    expect(got[0]!.payload().toString()).toBe('gone');
    expect(dying.error()).toBe(ClientError.TransportInvalid);
  });

  it('a persistent session is restored: brokerSessionRestored and the messages queued while away', async () => {
    const id = `persist-${version}-${process.pid}-${n}`;
    const topic = `persist/${version}/${n}`;
    const a = makeClient(id);
    a.setCleanSession(false);
    if (version === ProtocolVersion.MQTT_5_0) {
      const { QMqttConnectionProperties } = await import('../../lib/properties');
      const p = new QMqttConnectionProperties();
      p.setSessionExpiryInterval(300);
      a.setConnectionProperties(p);
    }
    await a.connectToHostAsync();
    await a.subscribeAsync(topic, 1);
    await a.disconnectFromHostAsync();

    const pub = makeClient();
    await pub.connectToHostAsync();
    await pub.publishAsync(topic, 'while away', 1);

    let restored = 0;
    a.brokerSessionRestored.connect(() => restored++);
    const got: string[] = [];
    a.messageReceived.connect((m) => got.push(m.toString()));
    // MQTT 3.1's CONNACK has no Session Present flag (mosquitto sends 0, Aedes 1): the messages prove the session
    const present = await a.connectToHostAsync();
    if (version !== ProtocolVersion.MQTT_3_1) expect(present).toBe(true);
    expect(restored).toBe(present ? 1 : 0);
    await waitFor(() => got.length === 1, 'the queued message');
    expect(got).toEqual(['while away']);
    // leave no session behind
    await a.disconnectFromHostAsync();
    a.setCleanSession(true);
    await a.connectToHostAsync();
  });

  it('10,000 QoS 2 messages: none lost, none duplicated, in order', { timeout: 120_000 }, async () => {
    const sub = makeClient();
    const pub = makeClient();
    await sub.connectToHostAsync();
    await pub.connectToHostAsync();
    const topic = `bulk/${version}/${n}`;
    const s = await sub.subscribeAsync(topic, 2);
    const seen: number[] = [];
    s.messageReceived.connect((m) => seen.push(m.payload().readUInt32BE(0)));
    const N = 10_000;
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(i);
      acks.push(pub.publishAsync(topic, b, 2));
    }
    await Promise.all(acks);
    await waitFor(() => seen.length >= N, `${N} messages (have ${seen.length})`, 60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.length).toBe(N);
    expect(new Set(seen).size).toBe(N);
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => i));
  });
});
