import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAedes } from '../helpers/aedes';
import { startMosquitto } from '../helpers/mosquitto';
import { startAuthBroker } from './helpers/auth-broker';
import { connected, subscribed } from './helpers/flows';
import { collect, coreNode, helper, qmqttNodes, until, type FlowNode } from './helpers/node-red';

const dir = path.resolve(import.meta.dirname, '../../examples');
const core = [
  'common/20-inject.js',
  'common/90-comment.js',
  'function/15-change.js',
  'function/10-switch.js',
  'function/10-function.js',
].map(coreNode);
const stops: (() => Promise<void>)[] = [];

/** An example flow as a test flow: broker pointed at `port`, debug nodes as helper nodes, no timed injects. */
function example(file: string, port: number): FlowNode[] {
  const nodes = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as FlowNode[];
  return nodes.map((n) => {
    if (n.type === 'qmqtt-broker') return { ...n, broker: '127.0.0.1', port, autoReconnect: false };
    if (n.type === 'debug') return { id: n.id, z: n.z, type: 'helper', name: n.name };
    if (n.type === 'inject') return { ...n, once: false, repeat: '' };
    // The helper cannot install Setup → Modules entries: the package comes from functionGlobalContext.
    if (n.type === 'function' && Array.isArray(n.libs) && n.libs.length > 0)
      return { ...n, libs: [], func: `const qmqtt = global.get('qmqtt');\n${String(n.func)}` };
    return n;
  });
}

async function load(file: string, port: number): Promise<void> {
  await helper.load([...core, ...qmqttNodes], example(file, port));
}

const press = (id: string): void => helper.getNode(id)!.receive({});

beforeAll(() => {
  const pkg: unknown = createRequire(import.meta.url)(
    path.resolve(import.meta.dirname, '../../dist/lib/index.js'),
  );
  helper.settings({ functionGlobalContext: { qmqtt: pkg } });
});
afterAll(() => {
  helper.settings({});
});

afterEach(async () => {
  await helper.unload();
  for (const s of stops.splice(0)) await s();
});

describe('example flows', () => {
  it('every example has a tab, a comment node and qmqtt nodes, and loads', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(7);
    for (const f of files) {
      const nodes = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as FlowNode[];
      expect(
        nodes.filter((n) => n.type === 'tab'),
        f,
      ).toHaveLength(1);
      expect(nodes.filter((n) => n.type === 'comment').length, f).toBeGreaterThan(0);
      expect(
        nodes.filter((n) => n.type === 'qmqtt-broker'),
        f,
      ).toHaveLength(1);
    }
  });

  it('01 publish / subscribe: the timestamp arrives, and the publish signals', async () => {
    const a = await startAedes();
    stops.push(() => a.stop());
    await load('01-publish-subscribe.json', a.port);
    const received = collect(helper.getNode('qmqtt0pubsub0d01'));
    const status = collect(helper.getNode('qmqtt0pubsub0d02'));
    await subscribed('qmqtt0broker0001', 'demo/#');
    press('qmqtt0pubsub0i01');
    await until(() => received.some((m) => m.topic === 'demo/hello'), 'demo/hello');
    const hello = received.find((m) => m.topic === 'demo/hello')!;
    expect(typeof hello.payload).toBe('number');
    expect(hello).toMatchObject({ qos: 1, retain: false });
    await until(() => received.some((m) => m.topic === 'demo/status'), 'the birth message');
    expect(received.find((m) => m.topic === 'demo/status')).toMatchObject({ payload: 'online' });
    await until(() => status.some((m) => m.topic === 'messageSent'), 'messageSent');
  });

  it('02 dynamic subscriptions: subscribe, tick, list, unsubscribe', async () => {
    const a = await startAedes();
    stops.push(() => a.stop());
    await load('02-dynamic-subscriptions.json', a.port);
    const got = collect(helper.getNode('qmqtt0dynam00d01'));
    await connected('qmqtt0broker0001');
    press('qmqtt0dynam00i01');
    await subscribed('qmqtt0broker0001', 'demo/dynamic/#');
    press('qmqtt0dynam00i04');
    await until(() => got.some((m) => m.topic === 'demo/dynamic/tick'), 'tick');
    press('qmqtt0dynam00i02');
    await until(() => got.some((m) => m.topic === 'subscriptions'), 'subscription list');
    expect(got.find((m) => m.topic === 'subscriptions')!.payload).toMatchObject([
      { topic: 'demo/dynamic/#', qos: 1 },
    ]);
    press('qmqtt0dynam00i03');
    press('qmqtt0dynam00i02');
    await until(() => got.filter((m) => m.topic === 'subscriptions').length === 2, 'second list');
    expect(got.filter((m) => m.topic === 'subscriptions')[1]!.payload).toEqual([]);
  });

  it('03 request / response (MQTT 5): the answer keeps the correlation data', async () => {
    const m = await startMosquitto();
    stops.push(() => m.stop());
    await load('03-request-response-v5.json', m.port);
    const got = collect(helper.getNode('qmqtt0reqres0d01'));
    await subscribed('qmqtt0broker0005', 'demo/request', 'demo/response');
    press('qmqtt0reqres0i01');
    await until(() => got.length === 1, 'the response');
    expect(got[0]).toMatchObject({
      topic: 'demo/response',
      payload: 'pong to ping',
      correlationData: Buffer.from('req-1'),
    });
  });

  it('04 enhanced authentication: challenge answered from the flow, then connected', async () => {
    const s = await startAuthBroker('DEMO-CHALLENGE', 'secret-response');
    stops.push(() => s.stop());
    await load('04-enhanced-authentication.json', s.port);
    const got = collect(helper.getNode('qmqtt0authe00d01'));
    await connected('qmqtt0broker00a5');
    expect(s.received).toEqual(['secret-response']);
    expect(got.map((m) => m.topic)).toEqual(['authenticationRequested', 'authenticationFinished']);
    expect(got[0]!.payload).toMatchObject({
      authenticationMethod: 'DEMO-CHALLENGE',
      authenticationData: Buffer.from('challenge'),
    });
    expect(got[1]!.payload).toMatchObject({ authenticationData: Buffer.from('welcome') });
  });

  it('05 status dashboard: signals in, actions out', async () => {
    const a = await startAedes();
    stops.push(() => a.stop());
    await load('05-status-dashboard.json', a.port);
    const got = collect(helper.getNode('qmqtt0status0d01'));
    await until(() => got.some((m) => m.topic === 'connected'), 'connected');
    expect(got.find((m) => m.topic === 'stateChanged')).toMatchObject({
      payload: { state: 1, stateName: 'Connecting' },
    });
    press('qmqtt0status0i01');
    await until(() => got.some((m) => m.topic === 'disconnected'), 'disconnected');
    press('qmqtt0status0i03');
    await until(() => got.some((m) => m.topic === 'keepAliveChanged'), 'keepAliveChanged');
    expect(got.find((m) => m.topic === 'keepAliveChanged')!.payload).toEqual({ keepAlive: 30 });
    press('qmqtt0status0i02');
    await until(() => got.filter((m) => m.topic === 'connected').length === 2, 'connected again');
  });

  it('06 function node, shared client: subscribes, publishes, and a redeploy removes its subscription', async () => {
    const a = await startAedes();
    stops.push(() => a.stop());
    await load('06-function-node-shared-client.json', a.port);
    const got = collect(helper.getNode('qmqtt0fnshar0d01'));
    const c = await connected('qmqtt0broker0001');
    press('qmqtt0fnshar0i01');
    await until(
      () => c.subscriptions().some((s) => s.fullTopic().filter() === 'demo/function/#' && s.state() === 2),
      'the function node subscription',
    );
    press('qmqtt0fnshar0i02');
    await until(() => got.some((m) => m.topic === 'demo/function/hello'), 'the message');
    expect(got.find((m) => m.topic === 'demo/function/hello')).toMatchObject({
      payload: 'hello from a function node',
      qos: 1,
    });
    await helper.setFlows(
      example('06-function-node-shared-client.json', a.port).filter((n) => n.type !== 'function'),
      'nodes',
    );
    await until(
      () => !c.subscriptions().some((s) => s.fullTopic().filter() === 'demo/function/#' && s.state() === 2),
      'the unsubscribe',
    );
  });

  it('07 function node, standalone client: publishes on its own connection', async () => {
    const a = await startAedes();
    stops.push(() => a.stop());
    await load('07-function-node-standalone-client.json', a.port);
    const result = collect(helper.getNode('qmqtt0fnstan0d01'));
    const received = collect(helper.getNode('qmqtt0fnstan0d02'));
    await subscribed('qmqtt0broker0001', 'demo/standalone/#');
    press('qmqtt0fnstan0i01');
    await until(() => received.length === 1, 'the message through the shared client');
    expect(received[0]).toMatchObject({
      topic: 'demo/standalone/hello',
      payload: 'hello from a standalone client',
    });
    await until(() => result.length === 1, 'the publish result');
    expect(result[0]!.payload).toMatchObject({ reasonCode: 0 });
  });
});
