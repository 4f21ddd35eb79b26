import { describe, expect, it } from 'vitest';
import { FILTERS_PER_SUBSCRIBE } from '../../lib/core/subscriber';
import { QMqttUnsubscriptionProperties, QMqttUserProperties } from '../../lib/properties';
import { SubscriptionState } from '../../lib/state';
import { connectedScripted, dropAndReconnect, scripted, tick } from '../helpers/scripted-client';
import type { ScriptedBroker } from '../helpers/scripted-broker';

/*
 * [MQTT-3.10.3-2] An UNSUBSCRIBE carries one or more topic filters; under MQTT 5 the UNSUBACK has one reason code
 * per filter, in order [MQTT-3.11.3-1]. Unsubscribes made while connected in one turn of the event loop share an
 * UNSUBSCRIBE, as subscribes share a SUBSCRIBE; one with MQTT 5 properties goes alone. Packet order is kept.
 */
async function subscribed(s: ReturnType<typeof scripted>, filters: string[]) {
  const all = filters.map((f) => s.client.subscribeAsync(f, 1));
  const p = await s.broker.expect('subscribe');
  s.broker.send({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map(() => 1) });
  return Promise.all(all);
}

function unsuback(broker: ScriptedBroker, messageId: number | undefined, codes?: number[]) {
  broker.send({ cmd: 'unsuback', messageId, ...(codes ? { granted: codes } : {}) } as never);
}

describe('unsubscribes made in one turn share an UNSUBSCRIBE (scripted broker)', () => {
  it('[MQTT-3.10.3-2] three in one turn: one UNSUBSCRIBE; every promise settles on its UNSUBACK', async () => {
    const s = await connectedScripted(4);
    const subs = await subscribed(s, ['u/a', 'u/b', 'u/c', 'u/keep']);
    const done = ['u/a', 'u/b', 'u/c'].map((f) => s.client.unsubscribeAsync(f));
    expect(subs.map((x) => x.state())).toEqual([
      SubscriptionState.UnsubscriptionPending,
      SubscriptionState.UnsubscriptionPending,
      SubscriptionState.UnsubscriptionPending,
      SubscriptionState.Subscribed,
    ]);
    const p = await s.broker.expect('unsubscribe');
    expect(p.unsubscriptions).toEqual(['u/a', 'u/b', 'u/c']);
    await tick(5);
    expect(s.broker.pending()).toEqual([]);
    unsuback(s.broker, p.messageId);
    await Promise.all(done);
    expect(subs.map((x) => x.state())).toEqual([
      SubscriptionState.Unsubscribed,
      SubscriptionState.Unsubscribed,
      SubscriptionState.Unsubscribed,
      SubscriptionState.Subscribed,
    ]);
    expect(s.client.subscriptions().map((x) => x.filter())).toEqual(['u/keep']);
  });

  it('[MQTT-3.11.3-1] MQTT 5: one reason code per filter reaches each subscription', async () => {
    const s = await connectedScripted(5);
    const subs = await subscribed(s, ['r/a', 'r/b']);
    const done = Promise.all(['r/a', 'r/b'].map((f) => s.client.unsubscribeAsync(f)));
    const p = await s.broker.expect('unsubscribe');
    expect(p.unsubscriptions).toEqual(['r/a', 'r/b']);
    unsuback(s.broker, p.messageId, [0x00, 0x11]);
    await done;
    expect(subs.map((x) => x.reasonCode())).toEqual([0x00, 0x11]);
  });

  it('packet order is kept: subscribe, unsubscribe, subscribe and publish in one turn go out in that order', async () => {
    const s = await connectedScripted(4);
    await subscribed(s, ['o/old', 'o/old2']);
    s.client.subscribe('o/new', 0);
    s.client.unsubscribe('o/old');
    s.client.unsubscribe('o/old2');
    s.client.subscribe('o/new2', 0);
    s.client.publish('o/new', 'x', 0);
    s.client.unsubscribe('o/new');
    expect((await s.broker.expect('subscribe')).subscriptions.map((x) => x.topic)).toEqual(['o/new']);
    expect((await s.broker.expect('unsubscribe')).unsubscriptions).toEqual(['o/old', 'o/old2']);
    expect((await s.broker.expect('subscribe')).subscriptions.map((x) => x.topic)).toEqual(['o/new2']);
    expect(await s.broker.expect('publish')).toMatchObject({ topic: 'o/new' });
    expect((await s.broker.expect('unsubscribe')).unsubscriptions).toEqual(['o/new']);
  });

  it('MQTT 5: one with properties goes alone, between the plain ones before and after it', async () => {
    const s = await connectedScripted(5);
    await subscribed(s, ['v/1', 'v/2', 'v/3', 'v/4']);
    const props = new QMqttUnsubscriptionProperties();
    props.setUserProperties(new QMqttUserProperties([['why', 'test']]));
    s.client.unsubscribe('v/1');
    s.client.unsubscribe('v/2', props);
    s.client.unsubscribe('v/3');
    s.client.unsubscribe('v/4');
    const packets = [];
    for (let i = 0; i < 3; i++) packets.push(await s.broker.expect('unsubscribe'));
    expect(packets.map((p) => p.unsubscriptions)).toEqual([['v/1'], ['v/2'], ['v/3', 'v/4']]);
    expect(packets.map((p) => p.properties)).toEqual([
      undefined,
      { userProperties: { why: 'test' } },
      undefined,
    ]);
  });

  it(`${FILTERS_PER_SUBSCRIBE + 1} in one turn: two packets, the first full`, async () => {
    const s = await connectedScripted(4);
    const filters = Array.from({ length: FILTERS_PER_SUBSCRIBE + 1 }, (_, i) => `n/${i}`);
    const subs = filters.map((f) => s.client.subscribeAsync(f, 0));
    for (const p of [await s.broker.expect('subscribe'), await s.broker.expect('subscribe')])
      s.broker.send({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map(() => 0) });
    await Promise.all(subs);
    const done = filters.map((f) => s.client.unsubscribeAsync(f));
    const first = await s.broker.expect('unsubscribe');
    const second = await s.broker.expect('unsubscribe');
    expect([first.unsubscriptions.length, second.unsubscriptions]).toEqual([
      FILTERS_PER_SUBSCRIBE,
      ['n/1000'],
    ]);
    unsuback(s.broker, first.messageId);
    unsuback(s.broker, second.messageId);
    await Promise.all(done);
    expect(s.client.subscriptions()).toEqual([]);
  });

  it('a connection lost before the UNSUBACK: waiters fail; the kept session gets them again, still shared', async () => {
    const s = scripted(4);
    s.client.setCleanSession(false);
    const connected = s.client.connectToHostAsync();
    await s.broker.acceptConnect(false);
    await connected;
    await subscribed(s, ['l/1', 'l/2']);
    const done = ['l/1', 'l/2'].map((f) => s.client.unsubscribeAsync(f));
    const reconnected = dropAndReconnect(s, true);
    expect((await Promise.allSettled(done)).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const broker2 = await reconnected;
    const again = await broker2.expect('unsubscribe');
    expect(again.unsubscriptions).toEqual(['l/1', 'l/2']);
    unsuback(broker2, again.messageId);
    await tick(5);
    expect(s.client.subscriptions()).toEqual([]);
  });
});

describe('unsubscribe and subscribe again before the UNSUBACK (scripted broker)', () => {
  it('[MQTT-3.10.4-1] the subscription made after the UNSUBSCRIBE stays: the UNSUBACK does not end it', async () => {
    const s = await connectedScripted(4);
    const [first] = await subscribed(s, ['again/a']);
    s.client.unsubscribe('again/a');
    const again = s.client.subscribeAsync('again/a', 1);
    const unsub = await s.broker.expect('unsubscribe');
    const sub = await s.broker.expect('subscribe');
    unsuback(s.broker, unsub.messageId);
    s.broker.send({ cmd: 'suback', messageId: sub.messageId, granted: [1] });
    const second = await again;
    expect(second).toBe(first); // Qt: the same object for the same filter
    expect(second.state()).toBe(SubscriptionState.Subscribed);
    expect(s.client.subscriptions().map((x) => x.filter())).toEqual(['again/a']);
    const got: string[] = [];
    second.messageReceived.connect((m) => got.push(m.payload().toString()));
    s.broker.send({
      cmd: 'publish',
      topic: 'again/a',
      payload: Buffer.from('still here'),
      qos: 0,
      dup: false,
      retain: false,
    });
    await tick(5);
    expect(got).toEqual(['still here']);
  });

  it('subscribe then unsubscribe before the SUBACK: the subscription ends Unsubscribed', async () => {
    const s = await connectedScripted(4);
    const subscribing = s.client.subscribeAsync('late/a', 1);
    const sub = await s.broker.expect('subscribe');
    const unsubscribing = s.client.unsubscribeAsync('late/a');
    const unsub = await s.broker.expect('unsubscribe');
    s.broker.send({ cmd: 'suback', messageId: sub.messageId, granted: [1] });
    const subscription = await subscribing;
    expect(subscription.state()).toBe(SubscriptionState.UnsubscriptionPending); // not Subscribed in between
    unsuback(s.broker, unsub.messageId);
    await unsubscribing;
    expect(subscription.state()).toBe(SubscriptionState.Unsubscribed);
    expect(s.client.subscriptions()).toEqual([]);
  });
});
