import * as mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { MessageStatus, SubscriptionState } from '../../lib/state';
import { connectedScripted, tick } from '../helpers/scripted-client';
import type { QMqttMessage } from '../../lib/message';

describe('QoS flows (scripted broker)', () => {
  it('[MQTT-4.3.1] QoS 0 publish returns 0 and sends one PUBLISH', async () => {
    const { client, broker } = await connectedScripted();
    expect(client.publish('a/b', 'x', 0)).toBe(0);
    const p = await broker.expect('publish');
    expect(p).toMatchObject({ topic: 'a/b', qos: 0, retain: false, dup: false });
    expect(p.payload.toString()).toBe('x');
  });

  it('[MQTT-2.3.1-1] packet ids start at 1 per client and increase', async () => {
    const a = await connectedScripted();
    const b = await connectedScripted();
    expect(a.client.publish('t', 'x', 1)).toBe(1);
    expect(a.client.publish('t', 'x', 1)).toBe(2);
    expect(b.client.publish('t', 'x', 2)).toBe(1);
  });

  it('[MQTT-4.3.2] QoS 1: PUBACK completes with messageSent and messageStatusChanged(Acknowledged)', async () => {
    const { client, broker } = await connectedScripted();
    const sent: number[] = [];
    const status: [number, MessageStatus][] = [];
    client.messageSent.connect((id) => sent.push(id));
    client.messageStatusChanged.connect((id, s) => status.push([id, s]));
    const done = client.publishAsync('t', 'x', 1, true);
    const p = await broker.expect('publish');
    expect(p).toMatchObject({ qos: 1, retain: true, messageId: 1 });
    broker.send({ cmd: 'puback', messageId: 1 });
    await expect(done).resolves.toMatchObject({ id: 1, reasonCode: 0 });
    expect(sent).toEqual([1]);
    expect(status).toEqual([[1, MessageStatus.Acknowledged]]);
  });

  it('[MQTT-4.3.3] QoS 2: PUBREC → PUBREL → PUBCOMP', async () => {
    const { client, broker } = await connectedScripted();
    const status: MessageStatus[] = [];
    client.messageStatusChanged.connect((_id, s) => status.push(s));
    const done = client.publishAsync('t', 'x', 2);
    const p = await broker.expect('publish');
    broker.send({ cmd: 'pubrec', messageId: p.messageId! });
    const rel = await broker.expect('pubrel');
    expect(rel.messageId).toBe(p.messageId);
    broker.send({ cmd: 'pubcomp', messageId: p.messageId! });
    await expect(done).resolves.toMatchObject({ id: p.messageId });
    expect(status).toEqual([MessageStatus.Received, MessageStatus.Completed]);
  });

  it('[MQTT-4.3.2-4] incoming QoS 1 is delivered and acknowledged with PUBACK', async () => {
    const { client, broker } = await connectedScripted();
    const got: string[] = [];
    client.messageReceived.connect((m, t) => got.push(`${t.name()}=${m.toString()}`));
    broker.send({
      cmd: 'publish',
      topic: 'in/1',
      payload: Buffer.from('v'),
      qos: 1,
      messageId: 7,
      retain: false,
      dup: false,
    });
    const ack = await broker.expect('puback');
    expect(ack.messageId).toBe(7);
    expect(got).toEqual(['in/1=v']);
  });

  it('[MQTT-4.3.3-2] incoming QoS 2 re-sent with DUP is delivered once', async () => {
    const { client, broker } = await connectedScripted();
    const got: string[] = [];
    client.messageReceived.connect((m) => got.push(m.toString()));
    const pub = {
      cmd: 'publish' as const,
      topic: 'in/2',
      payload: Buffer.from('once'),
      qos: 2 as const,
      messageId: 9,
      retain: false,
      dup: false,
    };
    broker.send(pub);
    expect((await broker.expect('pubrec')).messageId).toBe(9);
    broker.send({ ...pub, dup: true });
    expect((await broker.expect('pubrec')).messageId).toBe(9);
    broker.send({ cmd: 'pubrel', messageId: 9 });
    expect((await broker.expect('pubcomp')).messageId).toBe(9);
    expect(got).toEqual(['once']);
    // after PUBREL the id is free again: a new message with id 9 is a new message
    broker.send({ ...pub, payload: Buffer.from('again') });
    await broker.expect('pubrec');
    expect(got).toEqual(['once', 'again']);
  });

  it('subscribe: SUBSCRIBE → SUBACK sets Subscribed and dispatches matching messages to the subscription', async () => {
    const { client, broker } = await connectedScripted();
    const sub = client.subscribe('s/+/x', 1)!;
    expect(sub.state()).toBe(SubscriptionState.SubscriptionPending);
    const s = await broker.expect('subscribe');
    expect(s.subscriptions).toEqual([{ topic: 's/+/x', qos: 1 }]);
    broker.send({ cmd: 'suback', messageId: s.messageId, granted: [0] });
    await tick(5);
    expect(sub.state()).toBe(SubscriptionState.Subscribed);
    expect(sub.qos()).toBe(0);
    const got: QMqttMessage[] = [];
    sub.messageReceived.connect((m) => got.push(m));
    broker.send({
      cmd: 'publish',
      topic: 's/a/x',
      payload: Buffer.from('1'),
      qos: 0,
      retain: false,
      dup: false,
    });
    broker.send({
      cmd: 'publish',
      topic: 's/a/y',
      payload: Buffer.from('2'),
      qos: 0,
      retain: false,
      dup: false,
    });
    await tick(5);
    expect(got.map((m) => m.topic().name())).toEqual(['s/a/x']);
    expect(client.subscribe('s/+/x', 1)).toBe(sub);
  });

  it('[MQTT-3.3.1-9] a retained message in the same chunk as the SUBACK reaches a handler connected after `await subscribeAsync()`', async () => {
    const { client, broker } = await connectedScripted();
    const got: string[] = [];
    const order: string[] = [];
    client.messageReceived.connect((payload) => order.push(`client:${payload.toString()}`));
    const subscribed = (async () => {
      const sub = await client.subscribeAsync('r/t', 0);
      order.push('handler connected');
      sub.messageReceived.connect((m) => got.push(m.payload().toString()));
    })();
    const s = await broker.expect('subscribe');
    const retained = (payload: string): mqtt.Packet => ({
      cmd: 'publish',
      topic: 'r/t',
      payload: Buffer.from(payload),
      qos: 0,
      retain: true,
      dup: false,
    });
    // one write, one chunk: the SUBACK and two retained messages behind it
    broker.sendRaw(
      Buffer.concat([
        mqtt.generate({ cmd: 'suback', messageId: s.messageId, granted: [0] }),
        mqtt.generate(retained('kept-1')),
        mqtt.generate(retained('kept-2')),
      ]),
    );
    await subscribed;
    await tick(5);
    expect(got).toEqual(['kept-1', 'kept-2']);
    // nothing overtook anything: the handler was connected before the first message was dispatched
    expect(order).toEqual(['handler connected', 'client:kept-1', 'client:kept-2']);
  });

  it('SUBACK 0x80 puts the subscription in Error and rejects subscribeAsync with the code', async () => {
    const { client, broker } = await connectedScripted();
    const done = client.subscribeAsync('deny/#', 1);
    const s = await broker.expect('subscribe');
    broker.send({ cmd: 'suback', messageId: s.messageId, granted: [0x80] });
    const err = await done.catch((e: unknown) => e);
    expect(err).toMatchObject({ reasonCode: 0x80 });
    expect(client.subscriptions()[0]!.state()).toBe(SubscriptionState.Error);
  });

  it('unsubscribe: UNSUBSCRIBE → UNSUBACK sets Unsubscribed', async () => {
    const { client, broker } = await connectedScripted();
    const subDone = client.subscribeAsync('u/t', 0);
    const s = await broker.expect('subscribe');
    broker.send({ cmd: 'suback', messageId: s.messageId, granted: [0] });
    const sub = await subDone;
    const done = client.unsubscribeAsync('u/t');
    const u = await broker.expect('unsubscribe');
    expect(u.unsubscriptions).toEqual(['u/t']);
    expect(sub.state()).toBe(SubscriptionState.UnsubscriptionPending);
    broker.send({ cmd: 'unsuback', messageId: u.messageId, granted: [] });
    await done;
    expect(sub.state()).toBe(SubscriptionState.Unsubscribed);
    expect(client.subscriptions()).toEqual([]);
  });

  it('invalid topic, QoS or payload: publish returns -1 and publishAsync rejects with a clear error; nothing is sent', async () => {
    const { client, broker } = await connectedScripted();
    expect(client.publish('a/#', 'x')).toBe(-1);
    expect(client.publish('a', 'x', 3)).toBe(-1);
    await expect(client.publishAsync('a/+', 'x')).rejects.toThrow(/wildcard|\+/i);
    await expect(client.publishAsync('a', 'x', 3)).rejects.toThrow(/QoS/);
    await expect(client.publishAsync('a', {} as unknown as string)).rejects.toThrow(/Buffer/);
    expect(client.subscribe('a/#/b')).toBeNull();
    await tick(5);
    expect(broker.pending()).toEqual([]);
  });

  it('perf-anchor F8: packets published in one turn leave in one write', async () => {
    const { client, broker } = await connectedScripted();
    const before = broker.chunks.length;
    for (let i = 0; i < 100; i++) client.publish('burst', 'x', 0);
    await tick(5);
    expect(broker.chunks.length - before).toBe(1);
    for (let i = 0; i < 100; i++) await broker.expect('publish');
  });
});

describe('Qt-style access and full messages', () => {
  it('enums are reachable through the classes as in Qt (QMqttClient.ClientState.Connected …)', async () => {
    const { QMqttClient } = await import('../../lib/client');
    const { QMqttSubscription } = await import('../../lib/subscription');
    const { QMqttTopicFilter } = await import('../../lib/topic/topic-filter');
    const idx = await import('../../lib/index');
    expect(QMqttClient.ClientState.Connected).toBe(2);
    expect(QMqttClient.ProtocolVersion.MQTT_5_0).toBe(5);
    expect(QMqttClient.ClientError.Mqtt5SpecificError).toBe(259);
    expect(QMqttClient.TransportType.SecureWebSocket).toBe(4);
    expect(QMqttSubscription.SubscriptionState.Error).toBe(4);
    expect(QMqttTopicFilter.MatchOption.WildcardsDontMatchDollarTopicMatchOption).toBe(1);
    expect(idx.QMqtt.MessageStatus.Completed).toBe(5);
    expect(idx.QMqtt.ReasonCode.QuotaExceeded).toBe(0x97);
  });

  it('messageArrived carries the whole QMqttMessage (QoS, retain, DUP) for any message', async () => {
    const { client, broker } = await connectedScripted();
    const got: QMqttMessage[] = [];
    client.messageArrived.connect((m) => got.push(m));
    broker.send({
      cmd: 'publish',
      topic: 'a/b',
      payload: Buffer.from('x'),
      qos: 1,
      messageId: 3,
      retain: true,
      dup: true,
    });
    await broker.expect('puback');
    expect(got.map((m) => [m.topic().name(), m.qos(), m.retain(), m.duplicate(), m.id()])).toEqual([
      ['a/b', 1, true, true, 3],
    ]);
  });
});
