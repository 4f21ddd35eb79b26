import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import type { QMqttMessage } from '../../lib/message';
import {
  QMqttConnectionProperties,
  QMqttLastWillProperties,
  QMqttPublishProperties,
  QMqttSubscriptionProperties,
  QMqttUserProperties,
} from '../../lib/properties';
import { ClientState, ProtocolVersion, SubscriptionState } from '../../lib/state';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { waitFor } from '../helpers/wait';

/** MQTT 5 features end to end through a real mosquitto (Aedes 1.2 has no MQTT 5). */
describe('MQTT 5 against mosquitto', () => {
  let b: MosquittoBroker;
  const clients: QMqttClient[] = [];
  let n = 0;
  beforeAll(async () => {
    b = await startMosquitto();
  });
  afterAll(async () => {
    await b.stop();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnectFromHostAsync()));
  });
  async function connected(setup?: (c: QMqttClient) => void): Promise<QMqttClient> {
    const c = new QMqttClient();
    c.setHostname('127.0.0.1');
    c.setPort(b.port);
    c.setProtocolVersion(ProtocolVersion.MQTT_5_0);
    c.setClientId(`v5-${process.pid}-${++n}`);
    setup?.(c);
    clients.push(c);
    await c.connectToHostAsync();
    return c;
  }
  function collect(c: QMqttClient, filter: string, qos = 1, props?: QMqttSubscriptionProperties) {
    const got: QMqttMessage[] = [];
    const p = (props ? c.subscribeAsync(filter, props, qos) : c.subscribeAsync(filter, qos)).then((s) => {
      s.messageReceived.connect((m) => got.push(m));
      return s;
    });
    return { got, ready: p };
  }

  it('CONNACK properties reach serverConnectionProperties (mosquitto defaults: Receive Maximum 20)', async () => {
    const c = await connected();
    const s = c.serverConnectionProperties();
    expect(s.isValid()).toBe(true);
    expect(s.maximumReceive()).toBe(20);
    expect(s.retainAvailable()).toBe(true);
  });

  it('request/response: response topic, correlation data, content type, user properties (repeated names kept), message expiry', async () => {
    const requester = await connected();
    const responder = await connected();
    const req = collect(responder, `svc/${n}/req`);
    await req.ready;
    const res = collect(requester, `svc/${n}/res/#`);
    await res.ready;
    const p = new QMqttPublishProperties();
    p.setResponseTopic(`svc/${n}/res/abc`);
    p.setCorrelationData(Buffer.from([1, 2, 3]));
    p.setContentType('application/json');
    p.setMessageExpiryInterval(60);
    p.setUserProperties(
      new QMqttUserProperties([
        ['a', '1'],
        ['b', '2'],
        ['a', '3'],
      ]),
    );
    await requester.publishAsync(`svc/${n}/req`, p, '{"q":1}', 1);
    await waitFor(() => req.got.length === 1, 'the request');
    const rp = req.got[0]!.publishProperties();
    expect(rp.responseTopic()).toBe(`svc/${n}/res/abc`);
    expect(rp.correlationData()).toEqual(Buffer.from([1, 2, 3]));
    expect(rp.contentType()).toBe('application/json');
    expect(rp.messageExpiryInterval()).toBeGreaterThan(0);
    expect(rp.messageExpiryInterval()).toBeLessThanOrEqual(60);
    expect([...rp.userProperties()].map((x) => `${x.name()}=${x.value()}`).sort()).toEqual([
      'a=1',
      'a=3',
      'b=2',
    ]);
    const answer = new QMqttPublishProperties();
    answer.setCorrelationData(rp.correlationData());
    await responder.publishAsync(rp.responseTopic(), answer, 'ok', 1);
    await waitFor(() => res.got.length === 1, 'the response');
    expect(res.got[0]!.publishProperties().correlationData()).toEqual(Buffer.from([1, 2, 3]));
  });

  it('subscription identifiers come back on matching messages', async () => {
    const c = await connected();
    const sp = new QMqttSubscriptionProperties();
    sp.setSubscriptionIdentifier(42);
    const sub = collect(c, `sid/${n}/+`, 1, sp);
    await sub.ready;
    await c.publishAsync(`sid/${n}/x`, 'v', 1);
    await waitFor(() => sub.got.length === 1, 'the message');
    expect(sub.got[0]!.publishProperties().subscriptionIdentifiers()).toEqual([42]);
  });

  it('No Local: our own publishes are not sent back', async () => {
    const c = await connected();
    const topic = `nl/${n}`;
    const sp = new QMqttSubscriptionProperties();
    sp.setNoLocal(true);
    const mine = collect(c, topic, 1, sp);
    await mine.ready;
    const other = await connected();
    await c.publishAsync(topic, 'own', 1);
    await other.publishAsync(topic, 'other', 1);
    await waitFor(() => mine.got.length === 1, 'the other client’s message');
    await new Promise((r) => setTimeout(r, 100));
    expect(mine.got.map((m) => m.payload().toString())).toEqual(['other']);
  });

  it('shared subscriptions: each message goes to exactly one member of the group', async () => {
    const k = n;
    const a = await connected();
    const bb = await connected();
    const sa = collect(a, `$share/g${k}/shared/${k}`, 1);
    const sb = collect(bb, `$share/g${k}/shared/${k}`, 1);
    const subA = await sa.ready;
    await sb.ready;
    expect(subA.isSharedSubscription()).toBe(true);
    expect(subA.sharedSubscriptionName()).toBe(`g${k}`);
    expect(subA.topic().filter()).toBe(`shared/${k}`);
    const pub = await connected();
    for (let i = 0; i < 100; i++) await pub.publishAsync(`shared/${k}`, String(i), 1);
    await waitFor(() => sa.got.length + sb.got.length === 100, '100 messages across the group');
    const all = [...sa.got, ...sb.got].map((m) => Number(m.payload().toString())).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(sa.got.length).toBeGreaterThan(0);
    expect(sb.got.length).toBeGreaterThan(0);
  });

  it('retain handling 2: no retained messages on subscribe; retain as published keeps the flag', async () => {
    const pub = await connected();
    const topic = `rh/${n}`;
    await pub.publishAsync(topic, 'kept', 1, true);
    const c = await connected();
    const none = new QMqttSubscriptionProperties();
    none.setRetainHandling(2);
    const s1 = collect(c, topic, 1, none);
    await s1.ready;
    const rap = new QMqttSubscriptionProperties();
    rap.setRetainAsPublished(true);
    const other = await connected();
    const s2 = collect(other, topic, 1, rap);
    await s2.ready;
    await waitFor(() => s2.got.length === 1, 'the retained message for the second subscriber');
    expect(s2.got[0]!.retain()).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(s1.got).toEqual([]);
    await pub.publishAsync(topic, '', 1, true);
  });

  it('session expiry and will delay: a persistent v5 session survives a disconnect; the will carries its properties', async () => {
    const id = `v5-persist-${process.pid}`;
    const topic = `v5persist/${n}`;
    const cp = new QMqttConnectionProperties();
    cp.setSessionExpiryInterval(120);
    const first = await connected((c) => {
      c.setClientId(id);
      c.setCleanSession(false);
      c.setConnectionProperties(cp);
    });
    await first.subscribeAsync(topic, 1);
    await first.disconnectFromHostAsync();
    const pub = await connected();
    await pub.publishAsync(topic, 'kept for you', 1);
    const again = new QMqttClient();
    again.setHostname('127.0.0.1');
    again.setPort(b.port);
    again.setProtocolVersion(ProtocolVersion.MQTT_5_0);
    again.setClientId(id);
    again.setCleanSession(false);
    again.setConnectionProperties(cp);
    clients.push(again);
    const got: string[] = [];
    again.messageReceived.connect((m) => got.push(m.toString()));
    await expect(again.connectToHostAsync()).resolves.toBe(true);
    await waitFor(() => got.length === 1, 'the message kept in the session');
    expect(got).toEqual(['kept for you']);

    const watcher = await connected();
    const willTopic = `will/${n}`;
    const w = collect(watcher, willTopic, 1);
    await w.ready;
    const wp = new QMqttLastWillProperties();
    wp.setContentType('text/plain');
    wp.setUserProperties(new QMqttUserProperties([['why', 'test']]));
    await connected((c) => {
      c.setWillTopic(willTopic);
      c.setWillMessage('bye');
      c.setLastWillProperties(wp);
    }).then((c) => c.disconnectFromHostAsync(0x04)); // 0x04: disconnect with will message
    await waitFor(() => w.got.length === 1, 'the will');
    expect(w.got[0]!.publishProperties().contentType()).toBe('text/plain');
    expect([...w.got[0]!.publishProperties().userProperties()].map((x) => x.value())).toEqual(['test']);
  });

  it('a refused subscription (invalid shared name) shows its reason code on the subscription', async () => {
    const c = await connected();
    const s = c.subscribe('$share/g/#/bad');
    expect(s).toBeNull(); // invalid filter: refused locally, nothing sent
    const sub = c.subscribe(`ok/${n}`, 2)!;
    await waitFor(() => sub.state() === SubscriptionState.Subscribed, 'SUBACK');
    expect(sub.reasonCode()).toBe(2);
  });

  it('5.0 §3.1.3.1 an empty client id with Clean Start 0: mosquitto assigns one and keeps the session', async () => {
    const c = await connected((c) => {
      c.setClientId('');
      c.setCleanSession(false);
      const cp = new QMqttConnectionProperties();
      cp.setSessionExpiryInterval(60);
      c.setConnectionProperties(cp);
    });
    const assigned = c.clientId();
    expect(assigned).not.toBe('');
    expect(c.serverConnectionProperties().clientIdAssigned()).toBe(true);
    await c.disconnectFromHostAsync();
    c.setCleanSession(false);
    const present: boolean[] = [];
    c.brokerSessionRestored.connect(() => present.push(true));
    await c.connectToHostAsync();
    expect(present).toEqual([true]);
  });

  it('5.0 §3.1.2.9 a password without a user name is accepted by mosquitto', async () => {
    const c = await connected((c) => c.setPassword('only-password'));
    expect(c.state()).toBe(ClientState.Connected);
  });

  it('[MQTT-3.3.2-17] a repeated user property whose first value is empty arrives with every pair in order', async () => {
    const a = await connected();
    const got = collect(a, `up/${n}`);
    await got.ready;
    const p = new QMqttPublishProperties();
    p.setUserProperties(
      new QMqttUserProperties([
        ['x', ''],
        ['x', 'a'],
        ['y', ''],
      ]),
    );
    await a.publishAsync(`up/${n}`, p, 'm', 1);
    await waitFor(() => got.got.length === 1, 'the message');
    const pairs = [...got.got[0]!.publishProperties().userProperties()].map((u) => [u.name(), u.value()]);
    expect(pairs).toEqual([
      ['x', ''],
      ['x', 'a'],
      ['y', ''],
    ]);
  });

  it('[MQTT-3.3.2-18] interleaved user properties (a, b, a, 7) arrive in the order they were added, with a Topic Alias', async () => {
    const a = await connected();
    const got = collect(a, `up/${n}/order`);
    await got.ready;
    const sent: [string, string][] = [
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
      ['7', 'digits'],
      ['b', '4'],
    ];
    for (let i = 0; i < 2; i++) {
      const p = new QMqttPublishProperties();
      p.setUserProperties(new QMqttUserProperties(sent));
      p.setTopicAlias(1); // the second message goes out with an empty topic name and the alias
      await a.publishAsync(`up/${n}/order`, p, `m${i}`, 1);
    }
    await waitFor(() => got.got.length === 2, 'both messages');
    for (const m of got.got) {
      expect(m.topic().name()).toBe(`up/${n}/order`);
      expect([...m.publishProperties().userProperties()].map((u) => [u.name(), u.value()])).toEqual(sent);
    }
  });
});
