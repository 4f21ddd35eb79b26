import { describe, expect, it } from 'vitest';
import { QMqttPublishProperties } from '../../lib/properties';
import { ClientError, ClientState, MessageStatus } from '../../lib/state';
import { FakeClock } from '../helpers/fake-clock';
import { scripted, tick } from '../helpers/scripted-client';
import type { ScriptedBroker } from '../helpers/scripted-broker';
import type { IConnackPacket } from 'mqtt-packet';

async function connectV5(props: IConnackPacket['properties'], options = {}) {
  const s = scripted(5, options);
  const done = s.client.connectToHostAsync();
  await s.broker.acceptConnect(false, props);
  await done;
  return s;
}

async function ackAll(broker: ScriptedBroker, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = await broker.expect('publish');
    ids.push(p.messageId!);
  }
  return ids;
}

describe('MQTT 5 flow control and server limits (scripted broker)', () => {
  for (const rm of [1, 2]) {
    it(`[MQTT-4.9.0-2] Receive Maximum ${rm}: never more than ${rm} QoS 1/2 PUBLISH unacknowledged`, async () => {
      const { client, broker } = await connectV5({ receiveMaximum: rm });
      const all = Array.from({ length: 6 }, (_, i) => client.publishAsync('rm', String(i), 1));
      let ids = await ackAll(broker, rm);
      await tick(10);
      expect(broker.pending()).toEqual([]);
      let done = rm;
      while (done < 6) {
        broker.send({ cmd: 'puback', messageId: ids.shift()!, reasonCode: 0 });
        ids = [...ids, ...(await ackAll(broker, 1))];
        done++;
        await tick(5);
        expect(broker.pending()).toEqual([]);
      }
      for (const id of ids) broker.send({ cmd: 'puback', messageId: id, reasonCode: 0 });
      await expect(Promise.all(all)).resolves.toHaveLength(6);
    });
  }

  it('[MQTT-4.9.0-1] under MQTT 5 the broker Receive Maximum is the quota (50 > the 3.1.1 default window of 20)', async () => {
    const { client, broker } = await connectV5({ receiveMaximum: 50 });
    const all = Array.from({ length: 60 }, (_, i) => client.publishAsync('q50', String(i), 1));
    const ids = await ackAll(broker, 50);
    await tick(10);
    expect(broker.pending()).toEqual([]);
    for (const id of ids) broker.send({ cmd: 'puback', messageId: id, reasonCode: 0 });
    const rest = await ackAll(broker, 10);
    for (const id of rest) broker.send({ cmd: 'puback', messageId: id, reasonCode: 0 });
    await expect(Promise.all(all)).resolves.toHaveLength(60);
  });

  it('Topic Alias Maximum 0: no alias is ever sent; a user alias is refused before sending', async () => {
    const { client, broker } = await connectV5({});
    client.publish('no/alias', 'a', 0);
    client.publish('no/alias', 'b', 0);
    const a = await broker.expect('publish');
    const b = await broker.expect('publish');
    expect(a.properties?.topicAlias).toBeUndefined();
    expect(b.topic).toBe('no/alias');
    const p = new QMqttPublishProperties();
    p.setTopicAlias(1);
    expect(client.publish('x', p, 'y')).toBe(-1);
    await expect(client.publishAsync('x', p, 'y')).rejects.toThrow(/topic alias/i);
  });

  it('[MQTT-3.3.2-9] Topic Alias Maximum 2: aliases 1 and 2 are assigned, then the full topic is kept', async () => {
    const { client, broker } = await connectV5({ topicAliasMaximum: 2 });
    for (const t of ['a', 'b', 'a', 'c', 'b', 'c']) client.publish(t, t, 0);
    const got = [];
    for (let i = 0; i < 6; i++) {
      const p = await broker.expect('publish');
      got.push([p.topic, p.properties?.topicAlias, p.payload.toString()]);
    }
    expect(got).toEqual([
      ['a', 1, 'a'],
      ['b', 2, 'b'],
      ['', 1, 'a'],
      ['c', undefined, 'c'],
      ['', 2, 'b'],
      ['c', undefined, 'c'],
    ]);
  });

  it('[MQTT-3.1.2-24] Maximum Packet Size 64: an oversized publish is refused with 0x95 and nothing is sent', async () => {
    const { client, broker } = await connectV5({ maximumPacketSize: 64 });
    expect(client.publish('t', Buffer.alloc(40), 1)).toBeGreaterThan(0);
    await broker.expect('publish');
    const err = await client.publishAsync('t', Buffer.alloc(100), 1).catch((e: unknown) => e);
    expect(err).toMatchObject({ reasonCode: 0x95 });
    await tick(5);
    expect(broker.pending()).toEqual([]);
  });

  it('[MQTT-3.2.2-11] Maximum QoS 1: QoS 2 refused with 0x9B; [MQTT-3.2.2-14] Retain Available 0: retain refused with 0x9A', async () => {
    const { client, broker } = await connectV5({ maximumQoS: 1, retainAvailable: false });
    await expect(client.publishAsync('t', 'x', 2)).rejects.toMatchObject({ reasonCode: 0x9b });
    await expect(client.publishAsync('t', 'x', 0, true)).rejects.toMatchObject({ reasonCode: 0x9a });
    await tick(5);
    expect(broker.pending()).toEqual([]);
  });

  it('[MQTT-3.2.2-21] Server Keep Alive replaces the client keep alive', async () => {
    const clock = new FakeClock();
    const s = scripted(5, { clock });
    s.client.setKeepAlive(60);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect(false, { serverKeepAlive: 5 });
    await done;
    clock.advance(5000);
    await s.broker.expect('pingreq');
  });

  it('Assigned Client Identifier updates clientId()', async () => {
    const s = scripted(5);
    s.client.setClientId('');
    const done = s.client.connectToHostAsync();
    const c = await s.broker.acceptConnect(false, { assignedClientIdentifier: 'given-by-broker' });
    await done;
    expect(c.clientId).toBe('');
    expect(s.client.clientId()).toBe('given-by-broker');
  });

  it('reason codes of acknowledgements reach messageStatusChanged and reject the promise (PUBACK 0x97)', async () => {
    const { client, broker } = await connectV5({});
    const statuses: [MessageStatus, number, string][] = [];
    client.messageStatusChanged.connect((_id, s, p) => statuses.push([s, p.reasonCode(), p.reason()]));
    const done = client.publishAsync('q', 'x', 1);
    const p = await broker.expect('publish');
    broker.send({
      cmd: 'puback',
      messageId: p.messageId,
      reasonCode: 0x97,
      properties: { reasonString: 'quota' },
    });
    await expect(done).rejects.toMatchObject({
      reasonCode: 0x97,
      clientError: ClientError.Mqtt5SpecificError,
    });
    expect(statuses).toEqual([[MessageStatus.Acknowledged, 0x97, 'quota']]);
  });

  it('inbound topic alias: the server sets alias 1, later PUBLISHes use it; unknown alias → DISCONNECT 0x82', async () => {
    const s = scripted(5);
    const { QMqttConnectionProperties } = await import('../../lib/properties');
    const cp = new QMqttConnectionProperties();
    cp.setMaximumTopicAlias(2);
    s.client.setConnectionProperties(cp);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    const topics: string[] = [];
    s.client.messageReceived.connect((_m, t) => topics.push(t.name()));
    const base = {
      cmd: 'publish' as const,
      qos: 0 as const,
      retain: false,
      dup: false,
      payload: Buffer.from('x'),
    };
    s.broker.send({ ...base, topic: 'long/topic/name', properties: { topicAlias: 1 } });
    s.broker.send({ ...base, topic: '', properties: { topicAlias: 1 } });
    await tick(5);
    expect(topics).toEqual(['long/topic/name', 'long/topic/name']);
    s.broker.send({ ...base, topic: '', properties: { topicAlias: 2 } });
    const d = await s.broker.expect('disconnect');
    expect(d.reasonCode).toBe(0x82);
    await tick(5);
    expect(s.client.state()).toBe(ClientState.Disconnected);
    expect(s.client.error()).toBe(ClientError.ProtocolViolation);
  });

  it('inbound topic alias above our Topic Alias Maximum → DISCONNECT 0x94', async () => {
    const { client, broker } = await connectV5({});
    broker.send({
      cmd: 'publish',
      topic: 't',
      qos: 0,
      retain: false,
      dup: false,
      payload: Buffer.from('x'),
      properties: { topicAlias: 1 },
    });
    const d = await broker.expect('disconnect');
    expect(d.reasonCode).toBe(0x94);
    await tick(5);
    expect(client.state()).toBe(ClientState.Disconnected);
  });
});

describe('MQTT 5: the client enforces its own limits inbound (scripted broker)', () => {
  async function withOwn(set: (p: import('../../lib/properties').QMqttConnectionProperties) => void) {
    const { QMqttConnectionProperties } = await import('../../lib/properties');
    const s = scripted(5);
    const cp = new QMqttConnectionProperties();
    set(cp);
    s.client.setConnectionProperties(cp);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    return s;
  }

  it('[MQTT-3.1.2-24] a packet above our Maximum Packet Size → DISCONNECT 0x95, PacketTooLarge reported', async () => {
    const { client, broker } = await withOwn((p) => p.setMaximumPacketSize(64));
    broker.send({
      cmd: 'publish',
      topic: 't',
      payload: Buffer.alloc(100),
      qos: 0,
      retain: false,
      dup: false,
    });
    const d = await broker.expect('disconnect');
    expect(d.reasonCode).toBe(0x95);
    await tick(5);
    expect(client.state()).toBe(ClientState.Disconnected);
    expect(client.lastErrorDetail()?.reasonCode).toBe(0x95);
  });

  it('[MQTT-3.3.4-9] more unacknowledged QoS 2 messages than our Receive Maximum → DISCONNECT 0x93', async () => {
    const { client, broker } = await withOwn((p) => p.setMaximumReceive(2));
    const pub = (id: number) => ({
      cmd: 'publish' as const,
      topic: 'rm',
      payload: Buffer.from('x'),
      qos: 2 as const,
      messageId: id,
      retain: false,
      dup: false,
    });
    broker.send(pub(1));
    broker.send(pub(2));
    await broker.expect('pubrec');
    await broker.expect('pubrec');
    broker.send(pub(3)); // no PUBREL yet for 1 and 2: a third is over the limit
    const d = await broker.expect('disconnect');
    expect(d.reasonCode).toBe(0x93);
    await tick(5);
    expect(client.state()).toBe(ClientState.Disconnected);
  });
});

describe('MQTT 5 user properties keep their wire order (scripted broker)', () => {
  it('[MQTT-3.3.2-18] b=2, a=1, b=3 arrive as b=2, a=1, b=3 (mqtt-packet alone would group them)', async () => {
    const { client, broker } = await connectV5({});
    const got: string[] = [];
    const seen = new Promise<void>((resolve) => {
      client.messageReceived.connect(() => resolve());
    });
    const pair = (n: string, v: string) => [0x26, 0, 1, n.charCodeAt(0), 0, 1, v.charCodeAt(0)];
    const props = [...pair('b', '2'), ...pair('a', '1'), ...pair('b', '3')];
    const body = [0, 1, 0x74, props.length, ...props, 0x78];
    let order: string[] = [];
    const sub = client.subscribe('t', 0)!;
    const s = await broker.expect('subscribe');
    broker.send({ cmd: 'suback', messageId: s.messageId, granted: [0] });
    sub.messageReceived.connect((m) => {
      order = [...m.publishProperties().userProperties()].map((p) => `${p.name()}=${p.value()}`);
    });
    broker.sendRaw([0x30, body.length, ...body]);
    await seen;
    got.push(...order);
    expect(got).toEqual(['b=2', 'a=1', 'b=3']);
  });
});
