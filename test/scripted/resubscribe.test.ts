import { describe, expect, it } from 'vitest';
import { BYTES_PER_SUBSCRIBE, FILTERS_PER_SUBSCRIBE } from '../../lib/core/subscriber';
import { QMqttSubscriptionProperties } from '../../lib/properties';
import { SubscriptionState } from '../../lib/state';
import { connectedScripted, dropAndReconnect, scripted, tick } from '../helpers/scripted-client';

/*
 * [MQTT-3.8.3] A SUBSCRIBE may carry many topic filters; the SUBACK has one return code per filter, in order
 * [MQTT-3.9.3-1]. Subscriptions requested while connecting, and those restored after a CONNACK without a session,
 * share SUBSCRIBE packets (at most FILTERS_PER_SUBSCRIBE filters and BYTES_PER_SUBSCRIBE bytes, or the server's
 * smaller Maximum Packet Size); one with MQTT 5 properties goes alone (a packet has one property block).
 */
describe('subscriptions made after CONNACK share SUBSCRIBE packets (scripted broker)', () => {
  it('[MQTT-3.9.3-1] three requested while connecting: one SUBSCRIBE; each promise settles with its own code', async () => {
    const s = scripted(4);
    const done = s.client.connectToHostAsync();
    const a = s.client.subscribeAsync('g/a', 0);
    const b = s.client.subscribeAsync('g/b', 1);
    const c = s.client.subscribeAsync('g/c', 2);
    const alsoA = s.client.subscribeAsync('g/a', 0); // the same filter again: the same subscription, one entry
    await s.broker.acceptConnect(false);
    await done;
    const sub = await s.broker.expect('subscribe');
    expect(sub.subscriptions).toEqual([
      { topic: 'g/a', qos: 0 },
      { topic: 'g/b', qos: 1 },
      { topic: 'g/c', qos: 2 },
    ]);
    await tick(5);
    expect(s.broker.pending()).toEqual([]);
    s.broker.send({ cmd: 'suback', messageId: sub.messageId, granted: [0, 0x80, 1] });
    const [ra, rb, rc, ra2] = await Promise.allSettled([a, b, c, alsoA]);
    expect(ra).toMatchObject({ status: 'fulfilled' });
    expect(ra2).toMatchObject({ status: 'fulfilled' });
    expect(rb).toMatchObject({ status: 'rejected', reason: { reasonCode: 0x80 } });
    expect(rc).toMatchObject({ status: 'fulfilled' });
    const subs = [ra, rb, rc].map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    expect(subs[0]!.state()).toBe(SubscriptionState.Subscribed);
    expect(subs[2]!.qos()).toBe(1); // granted 1 for a request at 2
    expect(
      s.client
        .subscriptions()
        .find((x) => x.filter() === 'g/b')!
        .state(),
    ).toBe(SubscriptionState.Error);
  });

  it(`restored after a session was lost: ${FILTERS_PER_SUBSCRIBE + 1} filters in two packets, in order`, async () => {
    const s = scripted(4);
    const done = s.client.connectToHostAsync();
    const n = FILTERS_PER_SUBSCRIBE + 1;
    const all = Array.from({ length: n }, (_, i) => s.client.subscribeAsync(`r/${i}`, 1));
    await s.broker.acceptConnect(false);
    await done;
    const first = await s.broker.expect('subscribe');
    const second = await s.broker.expect('subscribe');
    expect(first.subscriptions).toHaveLength(FILTERS_PER_SUBSCRIBE);
    expect(second.subscriptions.map((x) => x.topic)).toEqual([`r/${n - 1}`]);
    s.broker.send({ cmd: 'suback', messageId: first.messageId, granted: first.subscriptions.map(() => 1) });
    s.broker.send({ cmd: 'suback', messageId: second.messageId, granted: [1] });
    await Promise.all(all);
    // the broker loses the session: everything is subscribed again, grouped the same way
    const broker2 = await dropAndReconnect(s, false);
    const again = [await broker2.expect('subscribe'), await broker2.expect('subscribe')];
    expect(again.flatMap((p) => p.subscriptions.map((x) => x.topic))).toEqual(
      Array.from({ length: n }, (_, i) => `r/${i}`),
    );
  });

  it('a connection lost before the SUBACK rejects every waiter of a shared SUBSCRIBE', async () => {
    const s = scripted(4);
    const done = s.client.connectToHostAsync();
    const all = ['x/1', 'x/2'].map((f) => s.client.subscribeAsync(f, 0));
    await s.broker.acceptConnect(false);
    await done;
    expect((await s.broker.expect('subscribe')).subscriptions).toHaveLength(2);
    s.broker.drop();
    const settled = await Promise.allSettled(all);
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('MQTT 5: a subscription with properties gets its own SUBSCRIBE; the server Maximum Packet Size splits the rest', async () => {
    const s = scripted(5);
    const done = s.client.connectToHostAsync();
    const props = new QMqttSubscriptionProperties();
    props.setSubscriptionIdentifier(7);
    const withProps = s.client.subscribeAsync('p/with', props, 1);
    const plain = Array.from({ length: 6 }, (_, i) => s.client.subscribeAsync(`p/plain/${i}`, 0));
    // each plain filter costs 2 + 9 + 1 bytes; 40 bytes allow three per packet (8 bytes of header at most)
    await s.broker.acceptConnect(false, { maximumPacketSize: 44 });
    await done;
    const packets = [];
    for (let i = 0; i < 3; i++) packets.push(await s.broker.expect('subscribe'));
    await tick(5);
    expect(s.broker.pending()).toEqual([]);
    const alone = packets.find((p) => p.subscriptions[0]!.topic === 'p/with')!;
    expect(alone.subscriptions).toHaveLength(1);
    expect(alone.properties).toEqual({ subscriptionIdentifier: 7 });
    const rest = packets.filter((p) => p !== alone);
    expect(rest.map((p) => p.subscriptions.length)).toEqual([3, 3]);
    for (const p of rest) expect(p.properties).toBeUndefined();
    for (const p of packets)
      s.broker.send({
        cmd: 'suback',
        messageId: p.messageId,
        reasonCode: 0,
        granted: p.subscriptions.map(() => 0),
      });
    await Promise.all([withProps, ...plain]);
    expect(BYTES_PER_SUBSCRIBE).toBeGreaterThan(44);
  });
});

/*
 * The same while connected: the subscribes made in one turn of the event loop share a SUBSCRIBE, sent at the end of
 * the turn or before any other packet, so the broker sees packets in the order they were asked for.
 */
describe('subscribes made while connected in one turn share a SUBSCRIBE (scripted broker)', () => {
  it('[MQTT-3.9.3-1] three in one turn: one SUBSCRIBE, one code each; the same filter twice is one entry', async () => {
    const s = await connectedScripted(4);
    const a = s.client.subscribeAsync('t/a', 1);
    const b = s.client.subscribeAsync('t/b', 0);
    const again = s.client.subscribeAsync('t/a', 1);
    const c = s.client.subscribeAsync('t/c', 2);
    expect(s.client.subscriptions().map((x) => x.state())).toEqual([
      SubscriptionState.SubscriptionPending,
      SubscriptionState.SubscriptionPending,
      SubscriptionState.SubscriptionPending,
    ]);
    const sub = await s.broker.expect('subscribe');
    expect(sub.subscriptions).toEqual([
      { topic: 't/a', qos: 1 },
      { topic: 't/b', qos: 0 },
      { topic: 't/c', qos: 2 },
    ]);
    s.broker.send({ cmd: 'suback', messageId: sub.messageId, granted: [1, 0x80, 2] });
    const settled = await Promise.allSettled([a, b, again, c]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    await tick(5);
    expect(s.broker.pending()).toEqual([]);
  });

  it('packet order is kept: a publish, an unsubscribe or a DISCONNECT right after subscribes follows their SUBSCRIBE', async () => {
    const s = await connectedScripted(4);
    s.client.subscribe('o/1', 1);
    s.client.subscribe('o/2', 1);
    s.client.publish('o/1', 'after the subscribe', 1);
    s.client.subscribe('o/3', 0);
    s.client.unsubscribe('o/3');
    const first = await s.broker.expect('subscribe');
    expect(first.subscriptions.map((x) => x.topic)).toEqual(['o/1', 'o/2']);
    expect(await s.broker.expect('publish')).toMatchObject({ topic: 'o/1' });
    expect((await s.broker.expect('subscribe')).subscriptions.map((x) => x.topic)).toEqual(['o/3']);
    expect((await s.broker.expect('unsubscribe')).unsubscriptions).toEqual(['o/3']);
    const waiter = s.client.subscribeAsync('o/4', 0);
    const closed = s.client.disconnectFromHostAsync();
    expect((await s.broker.expect('subscribe')).subscriptions.map((x) => x.topic)).toEqual(['o/4']);
    await s.broker.expect('disconnect');
    await closed;
    await expect(waiter).rejects.toBeDefined(); // as for any SUBSCRIBE the connection ended before its SUBACK
  });

  it('MQTT 5: one with properties goes alone, between the plain ones before and after it', async () => {
    const s = await connectedScripted(5);
    const props = new QMqttSubscriptionProperties();
    props.setSubscriptionIdentifier(3);
    s.client.subscribe('v/1', 0);
    s.client.subscribe('v/2', props, 1);
    s.client.subscribe('v/3', 0);
    s.client.subscribe('v/4', 0);
    const packets = [];
    for (let i = 0; i < 3; i++) packets.push(await s.broker.expect('subscribe'));
    expect(packets.map((p) => p.subscriptions.map((x) => x.topic))).toEqual([
      ['v/1'],
      ['v/2'],
      ['v/3', 'v/4'],
    ]);
    expect(packets.map((p) => p.properties)).toEqual([undefined, { subscriptionIdentifier: 3 }, undefined]);
  });

  it(`${FILTERS_PER_SUBSCRIBE + 2} in one turn: two packets, the first full`, async () => {
    const s = await connectedScripted(4);
    const all = Array.from({ length: FILTERS_PER_SUBSCRIBE + 2 }, (_, i) =>
      s.client.subscribeAsync(`n/${i}`, 0),
    );
    const first = await s.broker.expect('subscribe');
    const second = await s.broker.expect('subscribe');
    expect([first.subscriptions.length, second.subscriptions.length]).toEqual([FILTERS_PER_SUBSCRIBE, 2]);
    for (const p of [first, second])
      s.broker.send({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map(() => 0) });
    expect(await Promise.all(all)).toHaveLength(FILTERS_PER_SUBSCRIBE + 2);
  });
});
