/**
 * What the client sends is always legal (issue 8): a request that would break a rule, or a limit the server
 * announced in CONNACK, is refused with a clear, typed error and nothing goes on the wire; the connection stays
 * healthy (the next packet the broker sees is the probe of the round trip).
 */
import { describe, expect, it } from 'vitest';
import type { QMqttClient } from '../../lib/client';
import { QMqttError, QMqttInvalidArgumentError } from '../../lib/errors';
import { QMqttPublishProperties, QMqttSubscriptionProperties } from '../../lib/properties';
import { ClientState, SubscriptionState } from '../../lib/state';
import { FakeClock } from '../helpers/fake-clock';
import { scripted, tick } from '../helpers/scripted-client';
import {
  connectWithInflight,
  expectHealthy,
  installGuards,
  VERSIONS,
  type ConnackProps,
  type Hostile,
} from './harness';

const guards = installGuards();

const QOS_NOT_SUPPORTED = 0x9b;
const RETAIN_NOT_SUPPORTED = 0x9a;
const PACKET_TOO_LARGE = 0x95;

/** Nothing was written, and the connection works: the first packet the broker reads next is the probe. */
async function expectNothingSent(h: Hostile): Promise<void> {
  expect(await expectHealthy(h)).toEqual([]);
}

async function refusedPublish(
  h: Hostile,
  args: [string, ...unknown[]],
  match: { reasonCode?: number; message?: RegExp; type?: typeof QMqttError },
): Promise<void> {
  const c = h.client as unknown as {
    publish(...a: unknown[]): number;
    publishAsync(...a: unknown[]): Promise<unknown>;
  };
  expect(c.publish(...args)).toBe(-1);
  const err = await c.publishAsync(...args).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(match.type ?? QMqttError);
  if (match.reasonCode !== undefined) expect((err as QMqttError).reasonCode).toBe(match.reasonCode);
  if (match.message) expect((err as Error).message).toMatch(match.message);
}

async function refusedSubscribe(h: Hostile, args: [unknown, ...unknown[]], message?: RegExp): Promise<void> {
  const c = h.client as unknown as {
    subscribe(...a: unknown[]): unknown;
    subscribeAsync(...a: unknown[]): Promise<unknown>;
  };
  expect(c.subscribe(...args)).toBeNull();
  const err = await c.subscribeAsync(...args).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QMqttError);
  if (message) expect((err as Error).message).toMatch(message);
}

const v5 = (connack: ConnackProps) => connectWithInflight(5, { connack });

function aliasProps(alias: number): QMqttPublishProperties {
  const p = new QMqttPublishProperties();
  p.setTopicAlias(alias);
  return p;
}

function subProps(set: (p: QMqttSubscriptionProperties) => void): QMqttSubscriptionProperties {
  const p = new QMqttSubscriptionProperties();
  set(p);
  return p;
}

describe('MQTT 5: limits the server announced in CONNACK', () => {
  it('[MQTT-3.2.2-18] a Topic Alias when the server allows none is refused', async () => {
    const h = await v5({});
    await refusedPublish(h, ['t', aliasProps(1), 'x', 0], {
      type: QMqttInvalidArgumentError,
      message: /alias/i,
    });
    await expectNothingSent(h);
  });

  it('[MQTT-3.3.2-9] a Topic Alias above the server Topic Alias Maximum is refused', async () => {
    const h = await v5({ topicAliasMaximum: 2 });
    await refusedPublish(h, ['t', aliasProps(3), 'x', 1], {
      type: QMqttInvalidArgumentError,
      message: /alias/i,
    });
    await expectNothingSent(h);
  });

  it('[MQTT-3.2.2-15] a PUBLISH over the server Maximum Packet Size is refused with 0x95', async () => {
    const h = await v5({ maximumPacketSize: 64 });
    for (const qos of [0, 1, 2])
      await refusedPublish(h, ['big', Buffer.alloc(80), qos], { reasonCode: PACKET_TOO_LARGE });
    const p = new QMqttPublishProperties();
    p.setUserProperties([['k', 'v'.repeat(60)]]);
    await refusedPublish(h, ['small', p, 'x', 0], { reasonCode: PACKET_TOO_LARGE });
    await expectNothingSent(h);
  });

  it('[MQTT-3.2.2-15] a SUBSCRIBE over the server Maximum Packet Size is refused', async () => {
    const h = await v5({ maximumPacketSize: 64 });
    await refusedSubscribe(h, ['f/'.repeat(50) + 'x', 0]);
    await expectNothingSent(h);
  });

  it('[MQTT-3.2.2-11] QoS above the server Maximum QoS is refused with 0x9B', async () => {
    const h0 = await connectWithInflight(5, { connack: { maximumQoS: 0 }, inflight: false });
    await refusedPublish(h0, ['q', 'x', 1], { reasonCode: QOS_NOT_SUPPORTED });
    await refusedPublish(h0, ['q', 'x', 2], { reasonCode: QOS_NOT_SUPPORTED });
    await expectNothingSent(h0);
    const h1 = await connectWithInflight(5, { connack: { maximumQoS: 1 }, inflight: false });
    await refusedPublish(h1, ['q', 'x', 2], { reasonCode: QOS_NOT_SUPPORTED });
    await expectNothingSent(h1);
  });

  it('[MQTT-3.2.2-14] a retained message where Retain Available is 0 is refused with 0x9A', async () => {
    const h = await v5({ retainAvailable: false });
    await refusedPublish(h, ['r', 'x', 1, true], { reasonCode: RETAIN_NOT_SUPPORTED });
    await expectNothingSent(h);
  });

  it('§3.2.2.3.13 a shared subscription where Shared Subscription Available is 0 is refused', async () => {
    const h = await v5({ sharedSubscriptionAvailable: false });
    await refusedSubscribe(h, ['$share/g/a', 1], /shared/i);
    await expectNothingSent(h);
  });

  it('§3.2.2.3.11 a wildcard subscription where Wildcard Subscription Available is 0 is refused', async () => {
    const h = await v5({ wildcardSubscriptionAvailable: false });
    await refusedSubscribe(h, ['a/+', 1], /wildcard/i);
    await refusedSubscribe(h, ['a/#', 1], /wildcard/i);
    await expectNothingSent(h);
  });

  it('§3.2.2.3.12 a Subscription Identifier where Subscription Identifiers Available is 0 is refused', async () => {
    const h = await v5({ subscriptionIdentifiersAvailable: false });
    await refusedSubscribe(h, ['a', subProps((p) => p.setSubscriptionIdentifier(7)), 1], /identifier/i);
    await expectNothingSent(h);
  });

  it('[MQTT-3.8.3-4] No Local on a shared subscription is refused', async () => {
    const h = await v5({});
    await refusedSubscribe(h, ['$share/g/a', subProps((p) => p.setNoLocal(true)), 1], /No Local/i);
    await expectNothingSent(h);
  });
});

describe('MQTT 5: requests queued before CONNACK meet the limits CONNACK announces', () => {
  async function queued(connack: ConnackProps, queue: (c: QMqttClient) => Promise<unknown>[]) {
    const s = scripted(5, { clock: new FakeClock() });
    const done = s.client.connectToHostAsync();
    await s.broker.expect('connect');
    const results = queue(s.client).map((p) =>
      p.then(
        () => 'sent',
        (e: unknown) => e,
      ),
    );
    s.broker.send({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: connack });
    await done;
    await tick(5);
    return { s, results: await Promise.race([Promise.all(results), tick(20).then(() => 'pending')]) };
  }

  // checkPublish ran while there was no CONNACK yet: the queue is checked again against the CONNACK
  it('[MQTT-3.2.2-11] a QoS 2 publish queued while connecting is not sent above Maximum QoS 0', async () => {
    const { s, results } = await queued({ maximumQoS: 0 }, (c) => [c.publishAsync('q', 'x', 2)]);
    expect(s.broker.pending().filter((p) => p.cmd === 'publish')).toEqual([]);
    expect(results).toEqual([expect.objectContaining({ reasonCode: QOS_NOT_SUPPORTED })]);
  });

  it('[MQTT-3.2.2-14] a retained publish queued while connecting is not sent where retain is unavailable', async () => {
    const { s, results } = await queued({ retainAvailable: false }, (c) => [
      c.publishAsync('r', 'x', 1, true),
    ]);
    expect(s.broker.pending().filter((p) => p.cmd === 'publish')).toEqual([]);
    expect(results).toEqual([expect.objectContaining({ reasonCode: RETAIN_NOT_SUPPORTED })]);
  });

  it('[MQTT-3.2.2-15] a publish queued while connecting is not sent over Maximum Packet Size', async () => {
    const { s, results } = await queued({ maximumPacketSize: 64 }, (c) => [
      c.publishAsync('big', Buffer.alloc(80), 0),
    ]);
    expect(s.broker.pending().filter((p) => p.cmd === 'publish')).toEqual([]);
    expect(results).toEqual([expect.objectContaining({ reasonCode: PACKET_TOO_LARGE })]);
  });

  it('§3.2.2.3.13 a shared subscription requested while connecting is not sent where unavailable', async () => {
    const { s, results } = await queued({ sharedSubscriptionAvailable: false }, (c) => [
      c.subscribeAsync('$share/g/a', 1),
    ]);
    expect(s.broker.pending().filter((p) => p.cmd === 'subscribe')).toEqual([]);
    expect(results).toEqual([expect.objectContaining({ reasonCode: 0x9e })]);
    const sub = s.client.subscriptions().find((x) => x.fullTopic().filter() === '$share/g/a');
    expect(sub?.state()).toBe(SubscriptionState.Error);
    expect(sub?.reasonCode()).toBe(0x9e);
  });

  it('[MQTT-3.2.2-11] only the refused publishes leave the queue: the rest go out in order, with fresh ids', async () => {
    const { s, results } = await queued({ maximumQoS: 1 }, (c) => [
      c.publishAsync('a', '1', 1),
      c.publishAsync('b', '2', 2),
      c.publishAsync('c', '3', 0),
      c.publishAsync('d', '4', 1),
    ]);
    const sent = s.broker.pending().filter((p) => p.cmd === 'publish') as { topic: string; qos: number }[];
    expect(sent.map((p) => [p.topic, p.qos])).toEqual([
      ['a', 1],
      ['c', 0],
      ['d', 1],
    ]);
    expect(results).toEqual('pending'); // 'a' and 'd' wait for their PUBACKs; 'b' has failed
  });

  it('[MQTT-3.2.2-11] publish() (no promise) queued while connecting and refused is reported by errorOccurred', async () => {
    const errors: QMqttError[] = [];
    const { s } = await queued({ maximumQoS: 0 }, (c) => {
      c.errorOccurred.connect((e) => errors.push(e));
      expect(c.publish('q', 'x', 1)).toBeGreaterThan(0);
      return [];
    });
    expect(s.broker.pending().filter((p) => p.cmd === 'publish')).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ reasonCode: QOS_NOT_SUPPORTED })]);
  });

  it('[MQTT-3.2.2-15] a subscription requested while connecting that fits is sent after CONNACK and settles on SUBACK', async () => {
    const s = scripted(5, { clock: new FakeClock() });
    const done = s.client.connectToHostAsync();
    await s.broker.expect('connect');
    const sub = s.client.subscribeAsync('ok/#', 1);
    s.broker.send({
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: { maximumPacketSize: 64 },
    });
    await done;
    const packet = await s.broker.expect('subscribe');
    expect(packet).toMatchObject({ subscriptions: [{ topic: 'ok/#', qos: 1 }] });
    s.broker.send({ cmd: 'suback', messageId: packet.messageId, granted: [1] });
    expect((await sub).state()).toBe(SubscriptionState.Subscribed);
  });
});

describe.each(VERSIONS)('a subscription requested while connecting, level %i', (version) => {
  it('is sent after CONNACK and its promise resolves on SUBACK', async () => {
    const s = scripted(version, { clock: new FakeClock() });
    const done = s.client.connectToHostAsync();
    await s.broker.expect('connect');
    const sub = s.client.subscribeAsync('later/+', 2);
    const again = s.client.subscribeAsync('later/+', 2); // the same request twice: one SUBSCRIBE
    s.broker.send(
      version === 5
        ? { cmd: 'connack', sessionPresent: false, reasonCode: 0 }
        : { cmd: 'connack', sessionPresent: false, returnCode: 0 },
    );
    await done;
    const packet = await s.broker.expect('subscribe');
    s.broker.send({ cmd: 'suback', messageId: packet.messageId, granted: [2] });
    const [a, b] = await Promise.all([sub, again]);
    expect(a).toBe(b);
    expect(a.state()).toBe(SubscriptionState.Subscribed);
    await tick(5);
    expect(s.broker.pending().filter((p) => p.cmd === 'subscribe')).toEqual([]);
  });
});

describe('MQTT 5: Maximum Packet Size is exact, not an estimate [MQTT-3.2.2-15]', () => {
  it('a PUBLISH of exactly the maximum is sent; one byte more is refused', async () => {
    // 1 (type) + 1 (length) + 2 (topic length) + 1 ('t') + 2 (id) + 1 (property length) + payload: 64 at 56
    const h = await v5({ maximumPacketSize: 64 });
    await refusedPublish(h, ['t', Buffer.alloc(57), 1], { reasonCode: PACKET_TOO_LARGE });
    const p = new QMqttPublishProperties();
    p.setContentType('ct'); // 1 + 2 + 2 bytes of properties
    await refusedPublish(h, ['t', p, Buffer.alloc(52), 1], { reasonCode: PACKET_TOO_LARGE });
    await expectNothingSent(h);
    h.client.publish('t', Buffer.alloc(56), 1);
    const sent = await h.broker.expect('publish');
    expect(sent.payload.length).toBe(56);
    h.client.publish('t', p, Buffer.alloc(51), 1);
    expect((await h.broker.expect('publish')).properties).toMatchObject({ contentType: 'ct' });
  });

  it('a SUBSCRIBE of exactly the maximum is sent; one byte more is refused', async () => {
    // 1 (type) + 1 (length) + 2 (id) + 1 (property length) + 2 (filter length) + filter + 1 (options): 64 at 56
    const h = await v5({ maximumPacketSize: 64 });
    await refusedSubscribe(h, ['f'.repeat(57), 1], /Maximum Packet Size/);
    await expectNothingSent(h);
    h.client.subscribe('f'.repeat(56), 1);
    expect((await h.broker.expect('subscribe')).subscriptions[0]?.topic).toBe('f'.repeat(56));
  });
});

describe.each(VERSIONS)('invalid requests are refused at every level, level %i', (version) => {
  it.each([
    ['an empty topic [MQTT-4.7.3-1]', ''],
    ["'+' in a topic name [MQTT-4.7.0-1]", 'a/+'],
    ["'#' in a topic name [MQTT-4.7.0-1]", 'a/#'],
    ['U+0000 in a topic name [MQTT-4.7.3-2]', 'a\u0000b'],
    ['a lone surrogate in a topic name [MQTT-1.5.4-1]', 'a\ud800'],
    ['a topic name over 65535 bytes [MQTT-4.7.3-3]', 'é'.repeat(32768)],
  ])('%s: publish is refused, nothing sent', async (_what, topic) => {
    const h = await connectWithInflight(version);
    await refusedPublish(h, [topic, 'x', 1], { type: QMqttInvalidArgumentError });
    await expectNothingSent(h);
  });

  it.each([
    ['QoS 3', ['t', 'x', 3]],
    ['QoS -1', ['t', 'x', -1]],
    ['QoS 1.5', ['t', 'x', 1.5]],
    ["QoS '1' (a string)", ['t', 'x', '1']],
    ['retain that is not a boolean', ['t', 'x', 0, 'yes']],
    ['a payload that is not bytes or text', ['t', { a: 1 }, 0]],
  ] as [string, [string, ...unknown[]]][])('%s: publish is refused, nothing sent', async (_what, args) => {
    const h = await connectWithInflight(version);
    await refusedPublish(h, args, { type: QMqttInvalidArgumentError });
    await expectNothingSent(h);
  });

  it.each([
    ['an empty filter [MQTT-4.7.3-1]', ''],
    ["'#' not last [MQTT-4.7.1-1]", 'a/#/b'],
    ["'#' not a whole level [MQTT-4.7.1-1]", 'a#'],
    ["'+' not a whole level [MQTT-4.7.1-2]", 'a+/b'],
    ['U+0000 in a filter [MQTT-4.7.3-2]', 'a/\u0000'],
    ['a lone surrogate in a filter [MQTT-1.5.4-1]', '\udc00'],
    ...(version === 5
      ? [
          ['an empty ShareName [MQTT-4.8.2-1]', '$share//a'],
          ['a ShareName without a filter [MQTT-4.8.2-2]', '$share/g'],
          ["'+' in a ShareName [MQTT-4.8.2-2]", '$share/+/a'],
        ]
      : []),
  ])('%s: subscribe is refused, nothing sent', async (_what, filter) => {
    const h = await connectWithInflight(version);
    await refusedSubscribe(h, [filter, 1]);
    await refusedSubscribe(h, [filter, 3]);
    await expectNothingSent(h);
  });

  it('QoS 3 on a valid filter: subscribe is refused, nothing sent', async () => {
    const h = await connectWithInflight(version);
    await refusedSubscribe(h, ['ok', 3]);
    await expectNothingSent(h);
  });
});

describe('the CONNECT the client sends is legal', () => {
  // mqtt-packet alone refuses "clientId must be given if cleanSession set to 0" (a 3.1.1-only rule, 5.0 §3.1.3.1
  // allows it); lib/packet/encode-connect.ts encodes it.
  it('5.0 §3.1.3.1 an empty Client Identifier with Clean Start 0 is sent (v5 assigns one)', async () => {
    const s = scripted(5, { clock: new FakeClock() });
    s.client.setClientId('');
    s.client.setCleanSession(false);
    const done = s.client.connectToHostAsync();
    done.catch(() => undefined);
    await tick(5);
    expect(guards.takeEscaped()).toEqual([]);
    const c = await s.broker.expect('connect', 100);
    expect(c).toMatchObject({ clientId: '', clean: false });
    s.broker.send({
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: { assignedClientIdentifier: 'given' },
    });
    await done;
    expect(s.client.clientId()).toBe('given');
  });

  // 5.0 §3.1.2.9 allows a Password without a User Name (3.1.1 [MQTT-3.1.2-22] does not: see the next test).
  it('5.0 §3.1.2.9 a password without a user name is sent', async () => {
    const s = scripted(5, { clock: new FakeClock() });
    s.client.setPassword('secret');
    const done = s.client.connectToHostAsync();
    done.catch(() => undefined);
    await tick(5);
    expect(guards.takeEscaped()).toEqual([]);
    const c = await s.broker.expect('connect', 100);
    expect(c.password?.toString()).toBe('secret');
  });

  it('3.1.1 [MQTT-3.1.2-22] a password without a user name is refused with a clear error, nothing escapes', async () => {
    const s = scripted(4, { clock: new FakeClock() });
    s.client.setPassword('secret');
    const done = s.client.connectToHostAsync();
    const err = await Promise.race([
      done.then(
        () => 'connected',
        (e: unknown) => e,
      ),
      tick(20).then(() => 'hang'),
    ]);
    expect(guards.takeEscaped()).toEqual([]);
    expect(err).toBeInstanceOf(QMqttError);
    expect(s.client.state()).toBe(ClientState.Disconnected);
    expect(s.broker.pending()).toEqual([]);
  });
});
