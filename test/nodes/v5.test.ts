import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolVersion } from '../../lib';
import { v5BrokerTargets, type RunningBroker } from '../helpers/brokers';
import { clientOf, connected, subscribed } from './helpers/flows';
import {
  brokerNode,
  collect,
  helper,
  qmqttNodes,
  uniqueTopic,
  until,
  type FlowNode,
} from './helpers/node-red';

describe.each(v5BrokerTargets)('MQTT 5 msg fields and options against $name', (target) => {
  let broker: RunningBroker;
  beforeAll(async () => {
    broker = await target.start();
  });
  afterAll(async () => {
    await broker.stop();
  });
  afterEach(async () => {
    await helper.unload();
  });

  const b = (id: string, extra: Record<string, unknown> = {}): FlowNode =>
    brokerNode(id, broker.host, broker.port, { protocolVersion: '5', ...extra });
  const sink = (id: string): FlowNode => ({ id, type: 'helper' });
  const inNode = (id: string, topic: string, extra: Record<string, unknown> = {}): FlowNode => ({
    id,
    type: 'qmqtt-in',
    broker: 'b1',
    topic,
    qos: '1',
    datatype: 'auto-detect',
    wires: [[`${id}-got`]],
    ...extra,
  });
  const out = (id: string, extra: Record<string, unknown> = {}): FlowNode => ({
    id,
    type: 'qmqtt-out',
    broker: 'b1',
    topic: '',
    qos: '',
    retain: '',
    wires: [['ack'], []],
    ...extra,
  });

  it('round-trips every v5 msg field and the subscription identifier', async () => {
    const base = uniqueTopic('v5fields');
    await helper.load(qmqttNodes, [
      b('b1'),
      out('o'),
      sink('ack'),
      inNode('i', `${base}/#`, { subscriptionIdentifier: '7' }),
      sink('i-got'),
    ]);
    expect(clientOf('b1').protocolVersion()).toBe(ProtocolVersion.MQTT_5_0);
    const got = collect(helper.getNode('i-got'));
    await subscribed('b1', `${base}/#`);
    helper.getNode('o')!.receive({
      topic: `${base}/req`,
      payload: { hello: 'v5' },
      qos: 1,
      responseTopic: `${base}/reply`,
      correlationData: Buffer.from('corr-1'),
      contentType: 'application/json',
      userProperties: { a: '1', b: ['x', 'y'] },
      messageExpiryInterval: 120,
      payloadFormatIndicator: true,
    });
    await until(() => got.length === 1, 'the v5 message');
    const m = got[0]!;
    expect(m).toMatchObject({
      topic: `${base}/req`,
      payload: { hello: 'v5' },
      qos: 1,
      retain: false,
      responseTopic: `${base}/reply`,
      correlationData: Buffer.from('corr-1'),
      contentType: 'application/json',
      userProperties: { a: '1', b: ['x', 'y'] },
      payloadFormatIndicator: true,
      subscriptionIdentifier: 7,
    });
    // the broker counts the expiry down while it holds the message; it is still there and at most 120
    expect(m.messageExpiryInterval).toBeGreaterThan(100);
    expect(m.messageExpiryInterval).toBeLessThanOrEqual(120);
  });

  it('uses the v5 properties set on the qmqtt-out node', async () => {
    const base = uniqueTopic('v5node');
    await helper.load(qmqttNodes, [
      b('b1'),
      out('o', {
        topic: `${base}/t`,
        qos: '2',
        respTopic: `${base}/resp`,
        correl: 'abc',
        contentType: 'text/plain',
        userProps: '{"origin":"node"}',
        expiry: '300',
      }),
      sink('ack'),
      inNode('i', `${base}/t`),
      sink('i-got'),
    ]);
    const got = collect(helper.getNode('i-got'));
    await subscribed('b1', `${base}/t`);
    helper.getNode('o')!.receive({ payload: '42', userProperties: { origin: 'msg' } });
    await until(() => got.length === 1, 'message');
    expect(got[0]).toMatchObject({
      payload: '42', // text/plain: kept a string
      responseTopic: `${base}/resp`,
      correlationData: Buffer.from('abc'),
      contentType: 'text/plain',
      userProperties: { origin: 'node' },
    });
  });

  // Overlapping filters on one client each get every copy the broker sends (as in Qt), so each option is
  // checked on a filter of its own client; ordering on one connection makes the checks exact.
  it('honours noLocal, retain handling and retain-as-published', async () => {
    const base = uniqueTopic('v5opts');
    const common = [b('b1'), b('b2'), b('b3'), out('o'), out('o2', { broker: 'b2' }), sink('ack')];
    await helper.load(qmqttNodes, [...common, inNode('nl', `${base}/nl/x`, { nl: true }), sink('nl-got')]);
    const nl = collect(helper.getNode('nl-got'));
    const ack = collect(helper.getNode('ack'));
    await subscribed('b1', `${base}/nl/x`);
    await connected('b2');
    helper.getNode('o')!.receive({ topic: `${base}/nl/x`, payload: 'own', qos: 1 });
    // a delivery to our own subscription would be written to our socket before the PUBACK
    await until(() => ack.length === 1, 'own publish acknowledged');
    helper.getNode('o2')!.receive({ topic: `${base}/nl/x`, payload: 'other', qos: 1 });
    await until(() => nl.length === 1, 'message of the other client');
    expect(nl.map((m) => m.payload)).toEqual(['other']);

    helper.getNode('o')!.receive({ topic: `${base}/rh/x`, payload: 'stored', qos: 1, retain: true });
    await until(() => ack.length === 2, 'retained publish acknowledged');
    const more: FlowNode[] = [
      inNode('rh2', `${base}/rh/x`, { rh: '2', rap: true }),
      sink('rh2-got'),
      inNode('rh0', `${base}/rh/x`, { broker: 'b3', rh: '0', rap: false }),
      sink('rh0-got'),
    ];
    await helper.setFlows([...common, ...more], 'nodes');
    const rh2 = collect(helper.getNode('rh2-got'));
    const rh0 = collect(helper.getNode('rh0-got'));
    await subscribed('b1', `${base}/rh/x`);
    await subscribed('b3', `${base}/rh/x`);
    await until(() => rh0.length === 1, 'retained message for retain handling 0');
    expect(rh0[0]).toMatchObject({ payload: 'stored', retain: true });
    await connected('b2');
    helper.getNode('o2')!.receive({ topic: `${base}/rh/x`, payload: 'live', qos: 1, retain: true });
    await until(() => rh2.length === 1 && rh0.length === 2, 'live retained publish');
    expect(rh2[0]).toMatchObject({ payload: 'live', retain: true }); // no stored copy first; rap keeps the flag
    expect(rh0[1]).toMatchObject({ payload: 'live', retain: false }); // without rap the flag is cleared
    const ack2 = collect(helper.getNode('ack')); // the redeploy made new helper nodes
    helper.getNode('o')!.receive({ topic: `${base}/rh/x`, payload: '', qos: 1, retain: true });
    await until(() => ack2.length === 1, 'retained message cleared');
  });

  it('rejects v5 fields of the wrong type with a clear error', async () => {
    const base = uniqueTopic('v5bad');
    await helper.load(qmqttNodes, [
      b('b1'),
      out('o'),
      sink('ack'),
      { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      sink('caught'),
    ]);
    const caught = collect(helper.getNode('caught'));
    const ack = collect(helper.getNode('ack'));
    const t = `${base}/x`;
    const bad = [
      { topic: t, userProperties: 5 },
      { topic: t, userProperties: { a: { nested: true } } },
      { topic: t, correlationData: 123 },
      { topic: t, messageExpiryInterval: 'soon' },
      { topic: t, responseTopic: `${base}/#` },
      { topic: t, contentType: {} },
      { topic: t, payloadFormatIndicator: 'yes' },
    ];
    for (const m of bad) helper.getNode('o')!.receive({ payload: 'x', ...m });
    await until(() => caught.length === bad.length, 'an error per bad field');
    const texts = caught.map((m) => (m.error as { message: string }).message).join('\n');
    for (const field of [
      'userProperties',
      'correlationData',
      'messageExpiryInterval',
      'responseTopic',
      'contentType',
      'payloadFormatIndicator',
    ])
      expect(texts).toContain(field);
    helper.getNode('o')!.receive({ topic: t, payload: 'fine', qos: 1 });
    await until(() => ack.length === 1, 'a good publish after the bad ones');
  });
});
