import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientState } from '../../lib';
import { brokerTargets, type RunningBroker } from '../helpers/brokers';
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

describe.each(brokerTargets)('msg.action on qmqtt-in / qmqtt-out against $name', (target) => {
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

  const flow = (brokerExtra: Record<string, unknown> = {}): FlowNode[] => [
    brokerNode('b1', broker.host, broker.port, brokerExtra),
    { id: 'dyn', type: 'qmqtt-in', broker: 'b1', topic: '', inputs: 1, datatype: 'utf8', wires: [['got']] },
    { id: 'got', type: 'helper' },
    { id: 'o', type: 'qmqtt-out', broker: 'b1', topic: '', qos: '1', retain: '', wires: [['ack'], []] },
    { id: 'ack', type: 'helper' },
    { id: 'done', type: 'complete', scope: ['dyn'], uncaught: false, wires: [['completed']] },
    { id: 'completed', type: 'helper' },
    { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];

  it('subscribes, lists and unsubscribes at run time as core does', async () => {
    const base = uniqueTopic('dyn');
    await helper.load(qmqttNodes, flow());
    const got = collect(helper.getNode('got'));
    const completed = collect(helper.getNode('completed'));
    const ack = collect(helper.getNode('ack'));
    const dyn = helper.getNode('dyn')!;
    await connected('b1');
    dyn.receive({ action: 'subscribe', topic: `${base}/a` });
    dyn.receive({
      action: 'subscribe',
      topic: [{ topic: `${base}/b`, qos: 0, datatype: 'json' }, `${base}/c/+`],
    });
    await until(() => completed.length === 2, 'both subscribe actions done');
    expect((completed[1]!.subscriptions as { topic: string }[]).map((s) => s.topic)).toEqual([
      `${base}/a`,
      `${base}/b`,
      `${base}/c/+`,
    ]);
    await subscribed('b1', `${base}/a`, `${base}/b`, `${base}/c/+`);
    const o = helper.getNode('o')!;
    o.receive({ topic: `${base}/a`, payload: 'to a' });
    o.receive({ topic: `${base}/b`, payload: '{"b":true}' });
    o.receive({ topic: `${base}/c/1`, payload: 'to c' });
    await until(() => got.length === 3, 'three messages');
    expect(got.map((m) => m.payload)).toEqual(['to a', { b: true }, 'to c']);

    dyn.receive({ action: 'getSubscriptions' });
    await until(() => got.length === 4, 'the subscription list');
    expect(got[3]!.topic).toBe('subscriptions');
    expect(got[3]!.payload).toEqual([
      {
        topic: `${base}/a`,
        qos: 2,
        rh: 0,
        rap: true,
        nl: false,
        subscriptionIdentifier: 0,
        datatype: 'utf8',
      },
      {
        topic: `${base}/b`,
        qos: 0,
        rh: 0,
        rap: true,
        nl: false,
        subscriptionIdentifier: 0,
        datatype: 'json',
      },
      {
        topic: `${base}/c/+`,
        qos: 2,
        rh: 0,
        rap: true,
        nl: false,
        subscriptionIdentifier: 0,
        datatype: 'utf8',
      },
    ]);

    dyn.receive({ action: 'unsubscribe', topic: `${base}/a` });
    await until(() => completed.length === 4, 'unsubscribe done');
    await until(
      () =>
        !clientOf('b1')
          .subscriptions()
          .some((s) => s.fullTopic().filter() === `${base}/a` && s.state() === 2),
      'UNSUBACK',
    );
    o.receive({ topic: `${base}/a`, payload: 'not any more' });
    o.receive({ topic: `${base}/c/2`, payload: 'still c' });
    // both go out on one connection in order: when the second arrives, the first would have arrived before it
    await until(() => got.length === 5, 'message to c');
    expect(got[4]!.payload).toBe('still c');

    dyn.receive({ action: 'unsubscribe', topic: true });
    dyn.receive({ action: 'getSubscriptions' });
    await until(() => got.length === 6, 'empty list');
    expect(got[5]!.payload).toEqual([]);
    expect(ack.length).toBeGreaterThan(0);
  });

  it('rejects bad actions and bad filters through Catch', async () => {
    await helper.load(qmqttNodes, flow());
    const caught = collect(helper.getNode('caught'));
    const dyn = helper.getNode('dyn')!;
    dyn.receive({ action: 'subscribe', topic: 'a/#/b' });
    dyn.receive({ action: 'subscribe', topic: 42 });
    dyn.receive({ action: 'subscribe', topic: { topic: 'ok/x', qos: 3 } });
    dyn.receive({ action: 'teleport' });
    await until(() => caught.length === 4, 'four errors');
    const texts = caught.map((m) => (m.error as { message: string }).message);
    expect(texts[0]).toMatch(/invalid topic filter "a\/#\/b"/);
    expect(texts[1]).toMatch(/msg.topic must be a topic filter/);
    expect(texts[2]).toMatch(/qos must be an integer from 0 to 2/);
    expect(texts[3]).toMatch(/invalid-action|Invalid msg.action/);
  });

  it('connects only on msg.action "connect" when automatic connection is off', async () => {
    await helper.load(qmqttNodes, flow({ autoConnect: false }));
    const c = clientOf('b1');
    const statuses: unknown[] = [];
    helper.getNode('dyn')!.on('call:status', (call) => statuses.push(call.args[0]));
    expect(c.state()).toBe(ClientState.Disconnected);
    helper.getNode('o')!.receive({ action: 'connect' });
    await connected('b1');
    await until(() => statuses.some((s) => (s as { fill?: string }).fill === 'green'), 'green status');
    helper.getNode('dyn')!.receive({ action: 'disconnect' });
    await until(() => c.state() === ClientState.Disconnected, 'disconnected');
    await until(
      () => (statuses.at(-1) as { fill?: string }).fill === 'grey',
      'grey status after a wanted disconnect',
    );
  });
});
