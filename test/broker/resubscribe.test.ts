import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import { FILTERS_PER_SUBSCRIBE } from '../../lib/core/subscriber';
import { ProtocolVersion, SubscriptionState } from '../../lib/state';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { waitFor } from '../helpers/wait';

/*
 * [MQTT-3.8.3] [MQTT-3.9.3-1] against mosquitto: subscriptions requested while connecting, or while connected in
 * one turn of the event loop, go out in shared SUBSCRIBE packets of up to FILTERS_PER_SUBSCRIBE filters; each ends
 * Subscribed at its own granted QoS and receives its own messages. Unsubscribed in one turn, they share
 * UNSUBSCRIBE packets the same way, and nothing arrives on them afterwards.
 */
describe('many subscriptions at once, against mosquitto', () => {
  let m: MosquittoBroker;
  beforeAll(async () => {
    m = await startMosquitto();
  });
  afterAll(async () => {
    await m.stop();
  });

  const cases = [ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5_0].flatMap((v) =>
    ['while connecting', 'while connected, in one turn'].map((when) => ({ v, when })),
  );
  const n = 2 * FILTERS_PER_SUBSCRIBE + 500;

  it.each(cases)(
    `v$v, $when: ${n} filters, all subscribed, each receiving its own messages, then all unsubscribed`,
    async ({ v, when }) => {
      const sub = new QMqttClient();
      sub.setHostname('127.0.0.1');
      sub.setPort(m.port);
      sub.setProtocolVersion(v);
      const connected = sub.connectToHostAsync();
      if (when !== 'while connecting') await connected;
      const base = `rs/${v}/${when === 'while connecting' ? 'c' : 'd'}`;
      const subs = Array.from({ length: n }, (_, i) =>
        sub.subscribeAsync(`${base}/${i}`, (i % 3) as 0 | 1 | 2),
      );
      await connected;
      const all = await Promise.all(subs);
      expect(all.every((s) => s.state() === SubscriptionState.Subscribed)).toBe(true);
      expect(all.map((s) => s.qos())).toEqual(Array.from({ length: n }, (_, i) => i % 3));
      const got = new Map<string, string>();
      all.forEach((s, i) => s.messageReceived.connect((msg) => got.set(`${i}`, msg.payload().toString())));
      const pub = new QMqttClient();
      pub.setHostname('127.0.0.1');
      pub.setPort(m.port);
      await pub.connectToHostAsync();
      try {
        const picks = [0, FILTERS_PER_SUBSCRIBE - 1, FILTERS_PER_SUBSCRIBE, n - 1];
        for (const i of picks) await pub.publishAsync(`${base}/${i}`, `m${i}`, 1);
        await waitFor(() => got.size === picks.length, 'a message on each picked filter');
        expect(Object.fromEntries(got)).toEqual(Object.fromEntries(picks.map((i) => [`${i}`, `m${i}`])));
        // [MQTT-3.10.3-2] all unsubscribed in one turn: shared UNSUBSCRIBE packets; nothing arrives any more
        await Promise.all(all.map((s) => sub.unsubscribeAsync(s.topic())));
        expect(all.every((s) => s.state() === SubscriptionState.Unsubscribed)).toBe(true);
        const after: string[] = [];
        sub.messageReceived.connect((_p, topic) => after.push(topic.name()));
        await sub.subscribeAsync(`${base}/sentinel`, 1);
        for (const i of picks) await pub.publishAsync(`${base}/${i}`, `again${i}`, 1);
        await pub.publishAsync(`${base}/sentinel`, 'last', 1);
        await waitFor(() => after.length > 0, 'the sentinel');
        expect(after).toEqual([`${base}/sentinel`]); // in order from one publisher: nothing on the old filters
      } finally {
        await pub.disconnectFromHostAsync();
        await sub.disconnectFromHostAsync();
      }
    },
  );
});
