import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { brokerTargets, type RunningBroker } from '../helpers/brokers';
import { subscribed } from './helpers/flows';
import {
  brokerNode,
  collect,
  errorsOf,
  helper,
  qmqttNodes,
  uniqueTopic,
  until,
  type FlowNode,
} from './helpers/node-red';

describe.each(brokerTargets)('qmqtt-in / qmqtt-out against $name', (target) => {
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

  function flow(base: string, extra: FlowNode[] = []): FlowNode[] {
    return [
      brokerNode('b1', broker.host, broker.port),
      {
        id: 'out',
        type: 'qmqtt-out',
        broker: 'b1',
        topic: '',
        qos: '',
        retain: '',
        wires: [['ack'], ['st']],
      },
      {
        id: 'in',
        type: 'qmqtt-in',
        broker: 'b1',
        topic: `${base}/#`,
        qos: '2',
        datatype: 'auto-detect',
        wires: [['got']],
      },
      { id: 'got', type: 'helper' },
      { id: 'ack', type: 'helper' },
      { id: 'st', type: 'helper' },
      { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
      ...extra,
    ];
  }

  it('publishes and receives with topic, payload, qos and retain at QoS 0, 1 and 2', async () => {
    const base = uniqueTopic('roundtrip');
    await helper.load(qmqttNodes, flow(base));
    const got = collect(helper.getNode('got'));
    await subscribed('b1', `${base}/#`);
    const out = helper.getNode('out')!;
    out.receive({ topic: `${base}/q0`, payload: 'plain text', qos: 0 });
    out.receive({ topic: `${base}/q1`, payload: { a: 1, b: [true] }, qos: 1 });
    out.receive({ topic: `${base}/q2`, payload: Buffer.from([0xff, 0x00, 0x80]), qos: '2' });
    await until(() => got.length === 3, 'three messages');
    const byTopic = Object.fromEntries(got.map((m) => [m.topic, m]));
    expect(byTopic[`${base}/q0`]).toMatchObject({ payload: 'plain text', qos: 0, retain: false });
    expect(byTopic[`${base}/q1`]).toMatchObject({ payload: { a: 1, b: [true] }, qos: 1, retain: false });
    expect(byTopic[`${base}/q2`]).toMatchObject({
      payload: Buffer.from([0xff, 0x00, 0x80]),
      qos: 2,
      retain: false,
    });
    // qmqtt-in names each msg itself, in Node-RED's form: 16 hex digits, one per message
    const ids = got.map((m) => m._msgid);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(3);
    expect(new Set(ids.map((id) => String(id).slice(0, 8))).size).toBe(1); // the process's prefix, then a counter
  });

  it('passes the msg on output 1 after the acknowledgement and the message signals on output 2', async () => {
    const base = uniqueTopic('ack');
    await helper.load(qmqttNodes, flow(base));
    const ack = collect(helper.getNode('ack'));
    const st = collect(helper.getNode('st'));
    await subscribed('b1', `${base}/#`);
    helper.getNode('out')!.receive({ topic: `${base}/x`, payload: 'two', qos: 2, marker: 'm2' });
    await until(() => ack.length === 1, 'acknowledged msg');
    expect(ack[0]).toMatchObject({ marker: 'm2', reasonCode: 0 });
    const id = ack[0]!.messageId as number;
    expect(id).toBeGreaterThan(0);
    expect(st.map((m) => [m.topic, (m.payload as { statusName?: string }).statusName])).toEqual([
      ['messageStatusChanged', 'Received'],
      ['messageStatusChanged', 'Completed'],
      ['messageSent', undefined],
    ]);
    for (const m of st) expect(m.payload).toMatchObject({ id });

    helper.getNode('out')!.receive({ topic: `${base}/y`, payload: 'one', qos: 1 });
    await until(() => ack.length === 2 && st.length === 5, 'QoS 1 signals');
    expect(st.slice(3).map((m) => [m.topic, (m.payload as { statusName?: string }).statusName])).toEqual([
      ['messageStatusChanged', 'Acknowledged'],
      ['messageSent', undefined],
    ]);
  });

  it('takes topic, qos and retain from the node when set, and retained messages arrive with retain true', async () => {
    const base = uniqueTopic('retain');
    const f = flow(base).filter((n) => n.id !== 'in');
    f.push({
      id: 'fixed',
      type: 'qmqtt-out',
      broker: 'b1',
      topic: `${base}/r`,
      qos: '1',
      retain: 'true',
      wires: [['ack'], []],
    });
    await helper.load(qmqttNodes, f);
    const ack = collect(helper.getNode('ack'));
    helper.getNode('fixed')!.receive({ topic: 'ignored/topic', payload: 'kept', qos: 0, retain: false });
    await until(() => ack.length === 1, 'retained publish acknowledged');
    expect(ack[0]!.messageId).toBeGreaterThan(0); // QoS 1 from the node, not msg.qos 0
    const late = [
      {
        id: 'in2',
        type: 'qmqtt-in',
        broker: 'b1',
        topic: `${base}/r`,
        qos: '0',
        datatype: 'utf8',
        wires: [['got2']],
      },
      { id: 'got2', type: 'helper' },
    ];
    await helper.setFlows([...f, ...late], 'nodes');
    const got = collect(helper.getNode('got2'));
    await until(() => got.length === 1, 'retained message');
    expect(got[0]).toMatchObject({ topic: `${base}/r`, payload: 'kept', retain: true, qos: 0 });
    const ack2 = collect(helper.getNode('ack')); // the redeploy made new helper nodes
    helper.getNode('fixed')!.receive({ payload: '' }); // clear the retained message
    await until(() => ack2.length === 1, 'clear acknowledged');
  });

  it('converts payloads as each qmqtt-in datatype says, several nodes sharing one filter', async () => {
    const base = uniqueTopic('types');
    const types = ['auto-detect', 'auto', 'utf8', 'buffer', 'json', 'base64'];
    const extra: FlowNode[] = types.flatMap((t) => [
      {
        id: `in-${t}`,
        type: 'qmqtt-in',
        broker: 'b1',
        topic: `${base}/t`,
        qos: '1',
        datatype: t,
        wires: [[`got-${t}`]],
      },
      { id: `got-${t}`, type: 'helper' },
    ]);
    await helper.load(qmqttNodes, [...flow(base), ...extra]);
    const got = Object.fromEntries(types.map((t) => [t, collect(helper.getNode(`got-${t}`))]));
    await subscribed('b1', `${base}/t`);
    helper.getNode('out')!.receive({ topic: `${base}/t`, payload: '{"n":42}', qos: 1 });
    await until(() => types.every((t) => got[t]!.length === 1), 'every datatype');
    const p = (t: string): unknown => got[t]![0]!.payload;
    expect(p('auto-detect')).toEqual({ n: 42 });
    expect(p('auto')).toBe('{"n":42}');
    expect(p('utf8')).toBe('{"n":42}');
    expect(p('buffer')).toEqual(Buffer.from('{"n":42}'));
    expect(p('json')).toEqual({ n: 42 });
    expect(p('base64')).toBe(Buffer.from('{"n":42}').toString('base64'));
  });

  it('reports bad input to Catch nodes with a clear error and keeps running', async () => {
    const base = uniqueTopic('bad');
    const f = flow(base);
    f.push({
      id: 'jsonIn',
      type: 'qmqtt-in',
      broker: 'b1',
      topic: `${base}/j`,
      qos: '0',
      datatype: 'json',
      wires: [[]],
    });
    await helper.load(qmqttNodes, f);
    const caught = collect(helper.getNode('caught'));
    const got = collect(helper.getNode('got'));
    const jsonErrors = errorsOf(helper.getNode('jsonIn'));
    await subscribed('b1', `${base}/#`, `${base}/j`);
    const out = helper.getNode('out')!;
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const bad = [
      { topic: `${base}/a`, payload: 'x', qos: 3 },
      { topic: `${base}/+`, payload: 'x' },
      { payload: 'no topic' },
      { topic: `${base}/a`, payload: circular },
      { topic: `${base}/a`, payload: 'x', retain: 'maybe' },
      { topic: `${base}/a`, payload: 'x', action: 'explode' },
    ];
    for (const m of bad) out.receive(m);
    await until(() => caught.length === bad.length, 'an error per bad msg');
    // the errors come back in the order they are found (input checks at once, the lib's topic check on publish)
    const texts = caught.map((m) => (m.error as { message: string }).message);
    for (const pattern of [
      /qos must be 0, 1 or 2/i,
      /wildcard|\+|#/,
      /no topic/,
      /cannot be serialised/,
      /retain must be true or false/,
      /invalid-action|Invalid msg.action/,
    ])
      expect(
        texts.filter((t) => pattern.test(t)),
        String(pattern),
      ).toHaveLength(1);
    out.receive({ topic: `${base}/j`, payload: 'not json', qos: 0 });
    out.receive({ topic: `${base}/ok`, payload: 'still running', qos: 1 });
    await until(() => got.some((m) => m.payload === 'still running'), 'a good msg after the bad ones');
    await until(() => jsonErrors.length === 1, 'the json error of qmqtt-in');
    expect(jsonErrors[0]!.message).toMatch(/not valid JSON/);
    expect(jsonErrors[0]!.msg).toMatchObject({ topic: `${base}/j` });
  });
});
