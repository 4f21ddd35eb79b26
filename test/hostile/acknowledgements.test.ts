/**
 * Hostile peer, acknowledgements that do not fit the session (issue 8): ids that are not in flight, repeated
 * acknowledgements, re-sent QoS 2 publishes, SUBACK / UNSUBACK with the wrong number of reason codes.
 *
 * Where the specification says how to answer, the client answers so and the connection stays healthy (the
 * messages in flight still complete on it); where the packet breaks a MUST, the connection is closed.
 */
import type { Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import {
  connectWithInflight,
  expectHealthy,
  expectViolation,
  installGuards,
  PROTOCOL_ERROR,
  MALFORMED,
  VERSIONS,
  type Version,
} from './harness';

installGuards();

const NOT_FOUND = 0x92;
const ack = (v: Version, cmd: string, messageId: number): Packet =>
  (v === 5 ? { cmd, messageId, reasonCode: 0 } : { cmd, messageId }) as unknown as Packet;

describe.each(VERSIONS)('acknowledgements for ids not in flight, level %i', (version) => {
  if (version === 5) {
    it('5.0 §4.3.3 / §3.6.2.1 PUBREC for an unknown id is answered with PUBREL 0x92 (Packet Identifier not found)', async () => {
      const h = await connectWithInflight(version);
      h.broker.send(ack(version, 'pubrec', 77));
      const answered = await expectHealthy(h);
      expect(answered).toMatchObject([{ cmd: 'pubrel', messageId: 77, reasonCode: NOT_FOUND }]);
    });

    it('[MQTT-4.3.3-11] §3.7.2.1 PUBREL for an unknown id is answered with PUBCOMP 0x92', async () => {
      const h = await connectWithInflight(version);
      h.broker.send(ack(version, 'pubrel', 77));
      const answered = await expectHealthy(h);
      expect(answered).toMatchObject([{ cmd: 'pubcomp', messageId: 77, reasonCode: NOT_FOUND }]);
    });
  } else {
    it('3.1.1 §4.3.3 PUBREC for an unknown id: answered with PUBREL, the connection stays up', async () => {
      const h = await connectWithInflight(version);
      h.broker.send(ack(version, 'pubrec', 77));
      const answered = await expectHealthy(h);
      expect(answered).toMatchObject([{ cmd: 'pubrel', messageId: 77 }]);
    });

    it('3.1.1 [MQTT-4.3.3-2] PUBREL for an unknown id is answered with PUBCOMP', async () => {
      const h = await connectWithInflight(version);
      h.broker.send(ack(version, 'pubrel', 77));
      const answered = await expectHealthy(h);
      expect(answered).toMatchObject([{ cmd: 'pubcomp', messageId: 77 }]);
    });
  }

  it.each(['puback', 'pubcomp', 'suback', 'unsuback'])(
    '§4.3 %s for an id not in flight is ignored: nothing answered, the connection stays up',
    async (cmd) => {
      const h = await connectWithInflight(version);
      const p =
        cmd === 'suback'
          ? ({ cmd, messageId: 77, granted: [0] } as unknown as Packet)
          : cmd === 'unsuback' && version === 5
            ? ({ cmd, messageId: 77, granted: [0] } as unknown as Packet)
            : ack(version, cmd, 77);
      h.broker.send(p);
      expect(await expectHealthy(h)).toEqual([]);
    },
  );

  it('§4.3.3 a repeated PUBREC for a message already released is answered with PUBREL again', async () => {
    const h = await connectWithInflight(version);
    h.broker.send(ack(version, 'pubrec', 3));
    const answered = await expectHealthy(h);
    expect(answered).toMatchObject([{ cmd: 'pubrel', messageId: 3 }]);
  });

  it('§4.3 an acknowledgement of the wrong kind (PUBCOMP before PUBREC) leaves the message in flight', async () => {
    const h = await connectWithInflight(version);
    h.broker.send(ack(version, 'pubcomp', 2));
    expect(await expectHealthy(h)).toEqual([]);
  });

  it('[MQTT-4.3.3-10] a QoS 2 PUBLISH re-sent before PUBREL gets PUBREC again and is delivered once', async () => {
    const h = await connectWithInflight(version);
    let delivered = 0;
    const c = h.client.messageReceived.connect((_p, topic) => {
      if (topic.name() === 'twice') delivered++;
    });
    const publish = (dup: boolean): Packet => ({
      cmd: 'publish',
      topic: 'twice',
      payload: Buffer.from('x'),
      qos: 2,
      messageId: 55,
      dup,
      retain: false,
    });
    h.broker.send(publish(false));
    expect(await h.broker.expect('pubrec')).toMatchObject({ messageId: 55 });
    h.broker.send(publish(true));
    expect(await h.broker.expect('pubrec')).toMatchObject({ messageId: 55 });
    h.broker.send(ack(version, 'pubrel', 55));
    expect(await h.broker.expect('pubcomp')).toMatchObject({ messageId: 55 });
    c.disconnect();
    expect(delivered).toBe(1);
    await expectHealthy(h);
  });
});

describe.each(VERSIONS)('SUBACK / UNSUBACK that do not match the request, level %i', (version) => {
  it('[MQTT-3.8.4-6] SUBACK with more return codes than topic filters closes the connection', async () => {
    const h = await connectWithInflight(version);
    const sub = h.client.subscribeAsync('one', 1);
    sub.catch(() => undefined);
    const s = await h.broker.expect('subscribe');
    h.broker.send({ cmd: 'suback', messageId: s.messageId, granted: [1, 1] });
    await expectViolation(h, [PROTOCOL_ERROR, MALFORMED]);
  });

  if (version === 5) {
    it('[MQTT-3.11.3-1] UNSUBACK with more reason codes than topic filters closes the connection', async () => {
      const h = await connectWithInflight(version);
      const sub = h.client.subscribeAsync('one', 1);
      const s = await h.broker.expect('subscribe');
      h.broker.send({ cmd: 'suback', messageId: s.messageId, granted: [1] });
      await sub;
      const un = h.client.unsubscribeAsync('one');
      un.catch(() => undefined);
      const u = await h.broker.expect('unsubscribe');
      h.broker.send({ cmd: 'unsuback', messageId: u.messageId, granted: [0, 0] });
      await expectViolation(h, [PROTOCOL_ERROR, MALFORMED]);
    });
  }
});
