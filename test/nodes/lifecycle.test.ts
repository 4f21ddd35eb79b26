import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientState, TransportType } from '../../lib';
import { startAedes, type AedesBroker } from '../helpers/aedes';
import { startMosquitto } from '../helpers/mosquitto';
import { clientOf, connected, listenerCounts, subscribed } from './helpers/flows';
import {
  brokerNode,
  collect,
  coreNode,
  helper,
  qmqttNodes,
  uniqueTopic,
  until,
  type FlowNode,
  type Msg,
} from './helpers/node-red';

/** Aedes keeps its connected clients by id (not in its type declarations). */
const clientsOf = (a: AedesBroker): Record<string, { conn: { destroy(): void } }> =>
  (a.broker as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients;

describe('broker config lifecycle, qmqtt-status and transports', () => {
  let aedes: AedesBroker;
  beforeAll(async () => {
    aedes = await startAedes({ websocket: true });
  });
  afterAll(async () => {
    await aedes.stop();
  });
  afterEach(async () => {
    await helper.unload();
  });
  const b1 = (extra: Record<string, unknown> = {}): FlowNode =>
    brokerNode('b1', aedes.host, aedes.port, extra);

  it('shares one client, connects with the first user, and a redeploy leaves no listener or subscription', async () => {
    const base = uniqueTopic('life');
    const users: FlowNode[] = [
      {
        id: 'i1',
        type: 'qmqtt-in',
        broker: 'b1',
        topic: `${base}/a`,
        qos: '1',
        datatype: 'utf8',
        wires: [[]],
      },
      {
        id: 'i2',
        type: 'qmqtt-in',
        broker: 'b1',
        topic: `${base}/a`,
        qos: '1',
        datatype: 'utf8',
        wires: [[]],
      },
      { id: 'o', type: 'qmqtt-out', broker: 'b1', topic: `${base}/a`, qos: '1', retain: '', wires: [[], []] },
      { id: 's', type: 'qmqtt-status', broker: 'b1', wires: [[]] },
      { id: 'au', type: 'qmqtt-auth', broker: 'b1', wires: [[]] },
    ];
    await helper.load(qmqttNodes, [b1(), ...users]);
    const c = clientOf('b1');
    await subscribed('b1', `${base}/a`);
    helper.getNode('o')!.receive({ payload: 'x' }); // a publish in flight starts the out node's listeners
    const withUsers = listenerCounts(c);
    expect(withUsers.stateChanged).toBeGreaterThan(1);
    const sub = c.subscriptions().find((s) => s.fullTopic().filter() === `${base}/a`)!;
    expect(sub.messageReceived.listenerCount).toBe(1); // two nodes, one listener

    await helper.setFlows([b1(), { id: 'other', type: 'helper' }], 'nodes');
    expect(clientOf('b1')).toBe(c); // the config node was not redeployed: same client
    await until(() => c.state() === ClientState.Disconnected, 'disconnect after the last user left');
    const left = listenerCounts(c);
    // only the connection's own bookkeeping remains (state, connected, disconnected, reconnecting, errors)
    const nonZero = Object.fromEntries(Object.entries(left).filter(([, n]) => n > 0));
    expect(nonZero).toEqual({
      stateChanged: 1,
      connected: 1,
      disconnected: 1,
      reconnecting: 1,
      errorOccurred: 1,
    });
    expect(sub.messageReceived.listenerCount).toBe(0);
    expect(c.subscriptions().filter((s) => s.state() === 2)).toEqual([]);

    await helper.setFlows([{ id: 'other', type: 'helper' }], 'full');
    expect(Object.values(listenerCounts(c)).every((n) => n === 0)).toBe(true);
    expect(c.autoReconnect()).toBe(false);
  });

  it('qmqtt-status: filtered signals, set applied on the next connect, ping, no password in any msg', async () => {
    await helper.load(qmqttNodes, [
      b1({
        autoKeepAlive: false,
        maxInflight: '7',
        offlineQueueMessages: '5',
        offlineQueueBytes: '4096',
        tcpQuickAck: false,
      }),
      { id: 's', type: 'qmqtt-status', broker: 'b1', wires: [['all']] },
      { id: 'all', type: 'helper' },
      { id: 'f', type: 'qmqtt-status', broker: 'b1', signals: ['connected'], wires: [['few']] },
      { id: 'few', type: 'helper' },
      { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const all = collect(helper.getNode('all'));
    const few = collect(helper.getNode('few'));
    const caught = collect(helper.getNode('caught'));
    const c = await connected('b1');
    expect(c.maxInflight()).toBe(7); // the broker node's maxInflight reaches the client
    expect(c.offlineQueueLimits()).toEqual({ messages: 5, bytes: 4096 });
    expect(c.tcpQuickAck()).toBe(false); // and its tcpQuickAck
    await until(() => all.some((m) => m.topic === 'connected'), 'connected');
    const s = helper.getNode('s')!;
    s.receive({
      action: 'set',
      payload: {
        clientId: 'renamed-by-flow',
        username: 'flow-user',
        password: 's3cret-value',
        keepAlive: 42,
        maxInflight: 9,
        tcpQuickAck: true,
      },
    });
    s.receive({ action: 'ping' });
    await until(() => all.some((m) => m.topic === 'pingResponseReceived'), 'PINGRESP');
    expect(c.clientId()).not.toBe('renamed-by-flow'); // not while connected
    s.receive({ action: 'disconnect' });
    await until(() => all.some((m) => m.topic === 'clientIdChanged'), 'applied after disconnect');
    s.receive({ action: 'connect' });
    await until(() => all.filter((m) => m.topic === 'connected').length === 2, 'reconnected');
    expect(c.clientId()).toBe('renamed-by-flow');
    expect(c.keepAlive()).toBe(42);
    expect(c.maxInflight()).toBe(9);
    expect(c.tcpQuickAck()).toBe(true);
    expect(Object.keys(clientsOf(aedes))).toContain('renamed-by-flow');
    expect(all.find((m) => m.topic === 'passwordChanged')!.payload).toEqual({ passwordSet: true });
    expect(JSON.stringify(all)).not.toContain('s3cret-value');
    expect(new Set(few.map((m) => m.topic))).toEqual(new Set(['connected']));
    expect(few).toHaveLength(2);
    for (const bad of [{ port: 'eighty' }, { nosuch: 1 }, 'text', { willQoS: 3 }])
      s.receive({ action: 'set', payload: bad });
    s.receive({ action: 'fly' });
    await until(() => caught.length === 5, 'five errors');
    const texts = caught.map((m) => (m.error as { message: string }).message);
    expect(texts.join('\n')).toMatch(/port must be a number/);
    expect(texts.join('\n')).toMatch(/unknown client property "nosuch"/);
    expect(texts.join('\n')).toMatch(/msg.payload must be an object/);
    expect(texts.join('\n')).toMatch(/willQoS must be 0, 1 or 2/);
  });

  it('qmqtt-status: per-message signals when chosen, with their arguments by name', async () => {
    const topic = uniqueTopic('signals');
    await helper.load(qmqttNodes, [
      b1(),
      {
        id: 's',
        type: 'qmqtt-status',
        broker: 'b1',
        signals: [
          'messageArrived',
          'messageReceived',
          'messageSent',
          'messageStatusChanged',
          'willTopicChanged',
        ],
        wires: [['got']],
      },
      { id: 'got', type: 'helper' },
      { id: 'i', type: 'qmqtt-in', broker: 'b1', topic, qos: '2', datatype: 'utf8', wires: [[]] },
      { id: 'o', type: 'qmqtt-out', broker: 'b1', topic, qos: '2', retain: '', wires: [[], []] },
    ]);
    const got = collect(helper.getNode('got'));
    await subscribed('b1', topic);
    helper.getNode('o')!.receive({ payload: 'sig' });
    await until(
      () => got.some((m) => m.topic === 'messageSent') && got.some((m) => m.topic === 'messageArrived'),
      'signals',
    );
    const by = (t: string): unknown => got.find((m) => m.topic === t)?.payload;
    expect(by('messageArrived')).toMatchObject({ topic, payload: Buffer.from('sig'), qos: 2, retain: false });
    expect(by('messageReceived')).toEqual({ message: Buffer.from('sig'), topic });
    const sent = by('messageSent') as { id: number };
    expect(got.filter((m) => m.topic === 'messageStatusChanged').map((m) => m.payload)).toContainEqual(
      expect.objectContaining({
        id: sent.id,
        statusName: 'Completed',
        reasonCode: 0,
        reasonCodeName: expect.any(String),
      }),
    );
    helper.getNode('s')!.receive({ action: 'set', payload: { willTopic: `${topic}/will` } });
    helper.getNode('s')!.receive({ action: 'disconnect' });
    await until(
      () => got.some((m) => m.topic === 'willTopicChanged'),
      'willTopicChanged on the next connect',
    );
    expect(by('willTopicChanged')).toEqual({ willTopic: `${topic}/will` });
  });

  it('sends birth and close messages, and the will when the connection is lost', async () => {
    const base = uniqueTopic('bcw');
    const watcher: FlowNode[] = [
      brokerNode('w', aedes.host, aedes.port),
      {
        id: 'wi',
        type: 'qmqtt-in',
        broker: 'w',
        topic: `${base}/#`,
        qos: '1',
        datatype: 'utf8',
        wires: [['seen']],
      },
      { id: 'seen', type: 'helper' },
    ];
    const b = b1({
      clientid: 'bcw-client',
      birthTopic: `${base}/birth`,
      birthPayload: 'hello',
      birthQos: '1',
      birthRetain: 'true',
      closeTopic: `${base}/close`,
      closePayload: 'bye',
      closeQos: '1',
      willTopic: `${base}/will`,
      willPayload: 'lost',
      willQos: '1',
    });
    const user = { id: 'u', type: 'qmqtt-status', broker: 'b1', wires: [[]] };
    await helper.load(qmqttNodes, [...watcher, b, user]);
    // one list over redeploys: attach to each new instance of the helper node once
    const seen: Msg[] = [];
    const attached = new Set<unknown>();
    const watch = (): void => {
      const n = helper.getNode('seen')!;
      if (attached.has(n)) return;
      attached.add(n);
      n.on('input', (m) => seen.push(m));
    };
    watch();
    await until(() => seen.some((m) => m.topic === `${base}/birth`), 'birth');
    expect(clientOf('b1').willTopic()).toBe(`${base}/will`);
    await helper.setFlows([...watcher, b], 'nodes'); // last user gone: close message, then DISCONNECT
    watch();
    await until(() => seen.some((m) => m.topic === `${base}/close` && m.payload === 'bye'), 'close');
    await helper.setFlows([...watcher, b, user], 'nodes');
    watch();
    await connected('b1');
    clientsOf(aedes)['bcw-client']!.conn.destroy(); // the network drops: the broker sends the will
    await until(() => seen.some((m) => m.topic === `${base}/will` && m.payload === 'lost'), 'will');
    helper.getNode('u')!.receive({ action: 'disconnect' });
  });

  it('connects over WebSocket with a path', async () => {
    const base = uniqueTopic('ws');
    await helper.load(qmqttNodes, [
      brokerNode('b1', aedes.host, aedes.wsPort!, { transport: 'ws', wsPath: '/mqtt' }),
      { id: 'o', type: 'qmqtt-out', broker: 'b1', topic: `${base}/x`, qos: '1', retain: '', wires: [[], []] },
      {
        id: 'i',
        type: 'qmqtt-in',
        broker: 'b1',
        topic: `${base}/x`,
        qos: '1',
        datatype: 'utf8',
        wires: [['got']],
      },
      { id: 'got', type: 'helper' },
    ]);
    const got = collect(helper.getNode('got'));
    await subscribed('b1', `${base}/x`);
    expect(clientOf('b1').transportType()).toBe(TransportType.WebSocket);
    helper.getNode('o')!.receive({ payload: 'over ws' });
    await until(() => got.length === 1, 'message over ws');
    expect(got[0]!.payload).toBe('over ws');
  });

  it('connects over TLS with a core tls-config node, and a wrong CA fails with a red status', async () => {
    const m = await startMosquitto({ tls: true });
    try {
      const certs = m.certs!;
      const tlsNode = (id: string, ca: string): FlowNode => ({
        id,
        type: 'tls-config',
        ca,
        cert: '',
        key: '',
        verifyservercert: true,
        servername: 'localhost',
      });
      await helper.load(
        [coreNode('network/05-tls.js'), ...qmqttNodes],
        [
          tlsNode('t1', certs.caCert),
          brokerNode('b1', 'localhost', m.tlsPort!, { transport: 'tls', tls: 't1' }),
          { id: 's', type: 'qmqtt-status', broker: 'b1', signals: ['connected'], wires: [['got']] },
          { id: 'got', type: 'helper' },
          tlsNode('t2', certs.serverCert), // not the CA: verification must fail
          brokerNode('b2', 'localhost', m.tlsPort!, { transport: 'tls', tls: 't2' }),
          { id: 's2', type: 'qmqtt-status', broker: 'b2', signals: ['errorOccurred'], wires: [['bad']] },
          { id: 'bad', type: 'helper' },
        ],
      );
      const got = collect(helper.getNode('got'));
      const bad = collect(helper.getNode('bad'));
      await until(() => got.length === 1, 'TLS connection');
      expect(clientOf('b1').transportType()).toBe(TransportType.SecureSocket);
      await until(() => bad.length > 0, 'TLS failure');
      expect(clientOf('b2').state()).toBe(ClientState.Disconnected);
    } finally {
      await helper.unload();
      await m.stop();
    }
  });
});
