import { describe, expect, it } from 'vitest';
import { ClientError, ClientState } from '../../lib/state';
import { connectedScripted, dropAndReconnect, scripted, tick } from '../helpers/scripted-client';

describe('session across connections (scripted broker)', () => {
  it('[MQTT-4.4.0-1] unacknowledged QoS 1/2 PUBLISH and PUBREL are re-sent with DUP and the same ids after reconnect', async () => {
    const s = scripted(4);
    s.client.setCleanSession(false);
    let done = s.client.connectToHostAsync();
    await s.broker.acceptConnect(false);
    await done;
    const p1 = s.client.publishAsync('r/1', 'one', 1);
    const p2 = s.client.publishAsync('r/2', 'two', 2);
    const p3 = s.client.publishAsync('r/3', 'three', 2);
    const a = await s.broker.expect('publish');
    const b = await s.broker.expect('publish');
    const c = await s.broker.expect('publish');
    expect([a.messageId, b.messageId, c.messageId]).toEqual([1, 2, 3]);
    s.broker.send({ cmd: 'pubrec', messageId: 3 });
    await s.broker.expect('pubrel');
    s.broker.drop();
    await tick(5);
    expect(s.client.state()).toBe(ClientState.Disconnected);

    const broker2 = s.reconnect();
    done = s.client.connectToHostAsync();
    await broker2.acceptConnect(true);
    await done;
    const r1 = await broker2.expect('publish');
    const r2 = await broker2.expect('publish');
    const r3 = await broker2.expect('pubrel');
    expect([r1.messageId, r1.dup, r1.topic]).toEqual([1, true, 'r/1']);
    expect([r2.messageId, r2.dup, r2.topic]).toEqual([2, true, 'r/2']);
    expect(r3.messageId).toBe(3);
    broker2.send({ cmd: 'puback', messageId: 1 });
    broker2.send({ cmd: 'pubrec', messageId: 2 });
    await broker2.expect('pubrel');
    broker2.send({ cmd: 'pubcomp', messageId: 2 });
    broker2.send({ cmd: 'pubcomp', messageId: 3 });
    await expect(Promise.all([p1, p2, p3])).resolves.toHaveLength(3);
  });

  it('session not present: unacknowledged messages are sent again as new messages, nothing is lost', async () => {
    const s = scripted(4);
    s.client.setCleanSession(false);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect(false);
    await done;
    const p1 = s.client.publishAsync('n/1', 'one', 1);
    await s.broker.expect('publish');
    const broker2 = await dropAndReconnect(s, false);
    const again = await broker2.expect('publish');
    expect(again).toMatchObject({ topic: 'n/1', dup: false, qos: 1 });
    broker2.send({ cmd: 'puback', messageId: again.messageId! });
    await expect(p1).resolves.toMatchObject({ reasonCode: 0 });
  });

  it('subscriptions are restored when the broker did not keep the session', async () => {
    const s = await connectedScripted(4);
    const subDone = s.client.subscribeAsync('keep/#', 1);
    const sub = await s.broker.expect('subscribe');
    s.broker.send({ cmd: 'suback', messageId: sub.messageId, granted: [1] });
    await subDone;
    const broker2 = await dropAndReconnect(s, false);
    const again = await broker2.expect('subscribe');
    expect(again.subscriptions).toEqual([{ topic: 'keep/#', qos: 1 }]);
  });

  it('perf-anchor F2: no more than the in-flight window of QoS 1/2 messages is outstanding', async () => {
    const { client, broker } = await connectedScripted(4, { maxInflight: 3 });
    const all = Array.from({ length: 10 }, (_, i) => client.publishAsync('w', String(i), 2));
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) seen.push((await broker.expect('publish')).messageId!);
    await tick(10);
    expect(broker.pending()).toEqual([]);
    // each completion lets exactly one more out
    for (let n = 0; n < 10; n++) {
      const id = seen[n]!;
      broker.send({ cmd: 'pubrec', messageId: id });
      await broker.expect('pubrel');
      broker.send({ cmd: 'pubcomp', messageId: id });
      if (n + 3 < 10) seen.push((await broker.expect('publish')).messageId!);
    }
    await Promise.all(all);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it.each([3, 4] as const)(
    'perf-anchor F2/F5, level %i without setMaxInflight: QoS 2 is held to 20 in flight, QoS 1 is not',
    async (level) => {
      const { client, broker } = await connectedScripted(level);
      const qos1 = Array.from({ length: 50 }, (_, i) => client.publishAsync('one', String(i), 1));
      for (let i = 1; i <= 50; i++) expect((await broker.expect('publish')).messageId).toBe(i);
      const qos2 = Array.from({ length: 25 }, (_, i) => client.publishAsync('two', String(i), 2));
      const behind = client.publishAsync('one', 'after the QoS 2 burst', 1);
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await broker.expect('publish')).messageId!);
      await tick(10);
      expect(broker.pending()).toEqual([]); // 20 QoS 2 in flight; the 21st and the QoS 1 behind it wait, in order
      broker.send({ cmd: 'pubrec', messageId: out[0]! });
      expect(await broker.expect('pubrel')).toMatchObject({ messageId: out[0] });
      await tick(10);
      expect(broker.pending()).toEqual([]); // PUBREC does not end the exchange: still 20 in flight
      broker.send({ cmd: 'pubcomp', messageId: out[0]! });
      const p20 = await broker.expect('publish');
      expect(p20).toMatchObject({ qos: 2, payload: Buffer.from('20') });
      out.push(p20.messageId!);
      for (let i = 1; i <= 50; i++) broker.send({ cmd: 'puback', messageId: i });
      await Promise.all(qos1);
      // complete everything; each completion lets the next one out, in publish order
      for (const id of out.slice(1)) broker.send({ cmd: 'pubrec', messageId: id });
      const later: string[] = [];
      let settled = false;
      void Promise.all([...qos2, behind]).then(() => (settled = true));
      while (!settled) {
        const p = await broker.next(100).catch(() => undefined);
        if (!p) continue;
        if (p.cmd === 'pubrel') broker.send({ cmd: 'pubcomp', messageId: p.messageId! });
        else if (p.cmd === 'publish') {
          later.push(`${p.qos}:${p.payload.toString()}`);
          broker.send({ cmd: p.qos === 2 ? 'pubrec' : 'puback', messageId: p.messageId! });
        }
      }
      expect(later).toEqual(['2:21', '2:22', '2:23', '2:24', '1:after the QoS 2 burst']);
      await Promise.all([...qos2, behind]);
    },
  );

  it('a broker that never sends CONNACK: the connect timeout fails with TransportInvalid', async () => {
    const { FakeClock } = await import('../helpers/fake-clock');
    const clock = new FakeClock();
    const s = scripted(4, { clock, connectTimeout: 5000 });
    const done = s.client.connectToHostAsync();
    await s.broker.expect('connect');
    clock.advance(4999);
    expect(s.client.state()).toBe(ClientState.Connecting);
    clock.advance(1);
    await expect(done).rejects.toThrow(/CONNACK/);
    expect(s.client.error()).toBe(ClientError.TransportInvalid);
    expect(s.client.state()).toBe(ClientState.Disconnected);
  });
});
