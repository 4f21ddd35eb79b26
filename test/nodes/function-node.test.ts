/**
 * Function nodes using the package: the live client of a `qmqtt-broker` by name, scoped subscriptions and
 * listeners undone on redeploy, and a standalone client closed on redeploy.
 *
 * node-red-node-test-helper does not install external modules, so a function node's Setup → Modules entry
 * (`RED.import`) cannot be resolved here; the tests give the function nodes the built package (what
 * `require('node-red-contrib-qmqtt')` loads) through `functionGlobalContext` instead.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientState, QMqttClient, SubscriptionState, scoped, standalone } from '../../lib';
import { startAedes, type AedesBroker } from '../helpers/aedes';
import { clientOf, connected, listenerCounts } from './helpers/flows';
import {
  brokerNode,
  collect,
  coreNode,
  helper,
  qmqttNodes,
  uniqueTopic,
  until,
  type FlowNode,
} from './helpers/node-red';

const require = createRequire(import.meta.url);
/** The built package, as `require('node-red-contrib-qmqtt')` loads it (the one the built nodes use). */
const pkg = require(
  path.resolve(import.meta.dirname, '../../dist/lib/index.js'),
) as typeof import('../../lib');
const functionNode = coreNode('function/10-function.js');

const activeFilters = (c: QMqttClient): string[] =>
  c
    .subscriptions()
    .filter((s) => s.state() === SubscriptionState.Subscribed)
    .map((s) => s.fullTopic().filter());

describe('function nodes', () => {
  let aedes: AedesBroker;
  beforeAll(async () => {
    aedes = await startAedes();
    helper.settings({ functionGlobalContext: { qmqtt: pkg }, functionExternalModules: true });
  });
  afterAll(async () => {
    helper.settings({});
    await aedes.stop();
  });
  afterEach(async () => {
    await helper.unload();
  });

  const broker = (): FlowNode => brokerNode('b1', aedes.host, aedes.port, { name: 'fn broker' });
  // A qmqtt-out node makes the config node connect (it connects with its first user).
  const out: FlowNode = { id: 'o', type: 'qmqtt-out', broker: 'b1', topic: 'unused', wires: [[], []] };

  function sharedFunction(name: string, base: string): FlowNode {
    const func = `
      const qmqtt = global.get('qmqtt');
      let mqtt = context.get('mqtt');
      if (!mqtt || mqtt.closed) {
        const client = qmqtt.clientOf('fn broker');
        if (!client) throw new Error('no client');
        mqtt = qmqtt.scoped(node, client);
        context.set('mqtt', mqtt);
        await mqtt.subscribeAsync(${JSON.stringify(`${base}/#`)}, 1, (m) =>
          node.send({ topic: m.topic().name(), payload: m.payload().toString() }));
        mqtt.on(client.messageReceived, () => {});
        node.send({ topic: 'subscribed' });
      }
      if (msg.topic === 'publish') {
        const r = await mqtt.publishAsync(${JSON.stringify(`${base}/x`)}, 'hi', 1);
        return { topic: 'published', payload: r };
      }
      return null;`;
    return { id: 'f', type: 'function', name, func, outputs: 1, libs: [], wires: [['h']] };
  }

  it('gets the live client by name, subscribes with a per-subscription signal, publishes; redeploy leaves nothing', async () => {
    const base = uniqueTopic('fn');
    const flow = (name: string): FlowNode[] => [
      broker(),
      out,
      sharedFunction(name, base),
      { id: 'h', type: 'helper' },
    ];
    await helper.load([functionNode, ...qmqttNodes], flow('first'));
    const c = await connected('b1');
    expect(pkg.clientOf('fn broker')).toBe(c);
    expect(pkg.clientOf('b1')).toBe(c);
    const before = listenerCounts(c);

    const got = collect(helper.getNode('h'));
    helper.getNode('f')!.receive({ topic: 'publish' });
    await until(() => got.some((m) => m.topic === `${base}/x`), 'the message through the subscription');
    expect(got.find((m) => m.topic === `${base}/x`)!.payload).toBe('hi');
    await until(() => got.some((m) => m.topic === 'published'), 'the publish result');
    expect(got.find((m) => m.topic === 'published')!.payload).toMatchObject({ reasonCode: 0 });
    const sub = c.subscriptions().find((s) => s.fullTopic().filter() === `${base}/#`)!;
    expect(sub.messageReceived.listenerCount).toBe(1);
    expect(c.messageReceived.listenerCount).toBe(before.messageReceived! + 1);
    expect(activeFilters(c)).toContain(`${base}/#`);

    // Redeploy of the function node only: the config node and its client stay.
    await helper.setFlows(flow('second'), 'nodes');
    expect(clientOf('b1')).toBe(c);
    expect(sub.messageReceived.listenerCount).toBe(0);
    expect(listenerCounts(c)).toEqual(before);
    await until(() => !activeFilters(c).includes(`${base}/#`), 'the unsubscribe');

    // The new deployment makes its own scope again, and it works.
    const again = collect(helper.getNode('h'));
    helper.getNode('f')!.receive({ topic: 'publish' });
    await until(() => again.some((m) => m.topic === `${base}/x`), 'the message after the redeploy');

    // Stopping everything: listeners gone, subscription gone, client no longer registered.
    await helper.unload();
    expect(listenerCounts(c).messageReceived).toBe(0);
    expect(pkg.clientOf('fn broker')).toBeUndefined();
    expect(pkg.clientOf('b1')).toBeUndefined();
  });

  it('a standalone client made in a function node is disconnected when the node closes', async () => {
    const base = uniqueTopic('standalone');
    const func = `
      const qmqtt = global.get('qmqtt');
      let client = context.get('client');
      if (!client) {
        const shared = qmqtt.clientOf('fn broker');
        client = qmqtt.standalone(node, (c) => {
          c.setHostname(shared.hostname());
          c.setPort(shared.port());
          c.setClientId('standalone-test');
        });
        context.set('client', client);
        node.on('close', () => context.set('client', undefined));
        await client.connectToHostAsync();
      }
      const r = await client.publishAsync(${JSON.stringify(`${base}/x`)}, 'from standalone', 1);
      return { payload: r };`;
    const flow = (name: string): FlowNode[] => [
      broker(),
      {
        id: 'in',
        type: 'qmqtt-in',
        broker: 'b1',
        topic: `${base}/#`,
        qos: '1',
        datatype: 'utf8',
        wires: [['r']],
      },
      { id: 'r', type: 'helper' },
      { id: 'f', type: 'function', name, func, outputs: 1, libs: [], wires: [['h']] },
      { id: 'h', type: 'helper' },
    ];
    await helper.load([functionNode, ...qmqttNodes], flow('first'));
    const shared = await connected('b1');
    await until(() => activeFilters(shared).includes(`${base}/#`), 'the qmqtt-in subscription');
    const received = collect(helper.getNode('r'));
    const results = collect(helper.getNode('h'));
    const f = helper.getNode('f')!;
    f.receive({ payload: 'go' });
    await until(() => results.length === 1, 'the publish result');
    await until(() => received.length === 1, 'the message through the shared client');
    expect(received[0]).toMatchObject({ topic: `${base}/x`, payload: 'from standalone' });
    const ctx = (f as unknown as { context(): { get(k: string): unknown } }).context();
    const own = ctx.get('client') as QMqttClient;
    expect(own).not.toBe(shared);
    expect(own.state()).toBe(ClientState.Connected);

    await helper.setFlows(flow('second'), 'nodes');
    expect(own.state()).toBe(ClientState.Disconnected);
    expect(Object.values(listenerCounts(own)).every((n) => n === 0)).toBe(true);
    expect(clientOf('b1')).toBe(shared);
    expect(shared.state()).toBe(ClientState.Connected);
  });
});

describe('scoped and standalone without Node-RED', () => {
  let aedes: AedesBroker;
  beforeAll(async () => {
    aedes = await startAedes();
  });
  afterAll(async () => {
    await aedes.stop();
  });

  async function client(): Promise<QMqttClient> {
    const c = new QMqttClient();
    c.setHostname(aedes.host);
    c.setPort(aedes.port);
    c.setClientId(`scope-${process.pid}`);
    await c.connectToHostAsync(); // resolves with Session Present
    return c;
  }

  it('unsubscribes only what a scope made and nothing else still listens to', async () => {
    const c = await client();
    const base = uniqueTopic('scope');
    const pre = await c.subscribeAsync(`${base}/pre`, 1); // made outside any scope
    const host = new EventEmitter();
    const s1 = scoped(host, c);
    const s2 = scoped(new EventEmitter(), c);
    await s1.subscribeAsync(`${base}/pre`, 1, () => {});
    await s1.subscribeAsync(`${base}/own`, 1, () => {});
    await s2.subscribeAsync(`${base}/own`, 1, () => {}); // shared with s1
    expect(s1.subscribe(`${base}/sync`, 0, () => {})).not.toBeNull();
    s1.on(c.messageReceived, () => {});

    host.emit('close'); // a host without Node-RED's `done`
    await until(() => s1.closed, 's1 closed');
    expect(c.messageReceived.listenerCount).toBe(0);
    expect(pre.messageReceived.listenerCount).toBe(0);
    await until(() => !activeFilters(c).includes(`${base}/sync`), 'the unsubscribe of /sync');
    expect(activeFilters(c)).toContain(`${base}/pre`); // not made by the scope
    expect(activeFilters(c)).toContain(`${base}/own`); // s2 still listens

    s2.close();
    await until(() => !activeFilters(c).includes(`${base}/own`), 'the unsubscribe of /own');
    expect(s1.subscribe(`${base}/late`, 0)).toBeNull(); // a closed scope makes nothing
    expect(() => scoped(new EventEmitter(), undefined as unknown as QMqttClient)).toThrow(/no client/);
    await c.disconnectFromHostAsync();
  });

  it('standalone: calls Node-RED style done after disconnecting', async () => {
    const host = new EventEmitter();
    const c = standalone(host, (cl) => {
      cl.setHostname(aedes.host);
      cl.setPort(aedes.port);
      cl.setClientId(`standalone-${process.pid}`);
    });
    await c.connectToHostAsync(); // resolves with Session Present
    const done = new Promise<void>((resolve) => host.emit('close', false, resolve));
    await done;
    expect(c.state()).toBe(ClientState.Disconnected);
  });
});
