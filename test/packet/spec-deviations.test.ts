/**
 * What the specification demands where mqtt-packet 9.0.2, used bare, does something else. Each case is written as
 * the spec demands; the codec wrapper (framer, inbound checks, outbound checks, its own encoder) enforces all of
 * them.
 *
 * Decode cases use the same contract as malformed.test.ts: `onError` once with a QMqttProtocolError, no packet
 * delivered from the bad one on.
 */
import { describe, it, expect } from 'vitest';
import {
  decode,
  expectEncoded,
  expectEncodeRefused,
  expectMalformed,
  hex,
  PINGRESP,
  publishPacket,
} from './helpers';

describe('decoding never reads past the Remaining Length', () => {
  it('3.1.1 §3.4.1 PUBACK with remaining length 1 has no complete Packet Identifier', () => {
    expectMalformed(4, hex`40 01 00`);
  });

  it('3.1.1 §3.3.2.2 PUBLISH QoS 1 whose remaining length ends before the Packet Identifier', () => {
    expectMalformed(4, hex`32 03 00 01 61`);
  });

  it('5.0 §3.14.2.1 DISCONNECT with remaining length 0, followed by another packet in the same chunk', () => {
    const { packets, errors } = decode(5, Buffer.concat([hex`e0 00`, PINGRESP]));
    expect(errors).toEqual([]);
    expect(packets.map((p) => [p.cmd, (p as { reasonCode?: number }).reasonCode])).toEqual([
      ['disconnect', 0],
      ['pingresp', undefined],
    ]);
  });

  it('5.0 §3.14.2.2.1 DISCONNECT with remaining length 1 (no Property Length), followed by another packet', () => {
    const { packets, errors } = decode(5, Buffer.concat([hex`e0 01 8e`, PINGRESP]));
    expect(errors).toEqual([]);
    expect(packets.map((p) => [p.cmd, (p as { reasonCode?: number }).reasonCode])).toEqual([
      ['disconnect', 0x8e],
      ['pingresp', undefined],
    ]);
  });

  it('[MQTT-2.2.2-1] 5.0 CONNACK without a Property Length', () => {
    expectMalformed(5, hex`20 02 00 00`);
  });

  it('5.0 §2.2.2.1 Property Length running into the next packet of the same chunk', () => {
    // PUBACK id 1, Success, Property Length 3 — but the Remaining Length (4) ends right after that length.
    const { packets, errors } = decode(5, hex`40 04 00 01 00 03 1f 00 00`);
    expect(packets).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('3.1.1 §3.2.1 CONNACK remaining length must be 2', () => {
    expectMalformed(4, hex`20 03 00 00 00`);
  });

  it('3.1.1 §3.13.1 PINGRESP remaining length must be 0', () => {
    expectMalformed(4, hex`d0 01 00`);
  });
});

describe.each([
  [4, '[MQTT-1.5.3-1]', '[MQTT-1.5.3-2]'],
  [5, '[MQTT-1.5.4-1]', '[MQTT-1.5.4-2]'],
] as const)('decoding UTF-8 strings and topic names, level %i', (version, wellFormed, noNull) => {
  // PUBLISH QoS 0 with the given 2-byte topic; MQTT 5 adds Property Length 0.
  const publish = (topic: Buffer): Buffer =>
    Buffer.concat([
      Buffer.from([0x30, (version === 5 ? 3 : 2) + topic.length, 0x00, topic.length]),
      topic,
      version === 5 ? hex`00` : hex``,
    ]);

  it(`${wellFormed} ill-formed UTF-8 in a topic (c3 28)`, () =>
    expectMalformed(version, publish(hex`c3 28`)));
  it(`${wellFormed} UTF-16 surrogate U+D800 encoded in a topic (ed a0 80)`, () =>
    expectMalformed(version, publish(hex`ed a0 80`)));
  it(`${noNull} U+0000 in a topic`, () => expectMalformed(version, publish(hex`61 00`)));
  it('[MQTT-3.3.2-2] wildcard characters in a received Topic Name', () => {
    expectMalformed(version, publish(hex`61 2f 2b`));
    expectMalformed(version, publish(hex`61 2f 23`));
  });
});

describe('decoding Packet Identifiers', () => {
  it('[MQTT-2.3.1-1] 3.1.1 PUBLISH QoS 1 with Packet Identifier 0', () => {
    expectMalformed(4, hex`32 05 00 01 61 00 00`);
  });

  it('[MQTT-2.2.1-4] 5.0 PUBLISH QoS 2 with Packet Identifier 0', () => {
    expectMalformed(5, hex`34 06 00 01 61 00 00 00`);
  });
});

describe('decoding MQTT 5 properties', () => {
  it('[MQTT-1.5.4-1] ill-formed UTF-8 in a Reason String', () => {
    expectMalformed(5, hex`40 09 00 01 80 05 1f 00 02 c3 28`);
  });

  it('§2.2.2.2 Session Expiry Interval is not a PUBLISH property', () => {
    expectMalformed(5, hex`30 09 00 01 61 05 11 00 00 00 01`);
  });

  it('§2.2.2.2 Topic Alias is not a PUBACK property', () => {
    expectMalformed(5, hex`40 07 00 01 00 03 23 00 01`);
  });

  it('§3.3.2.3.4 Topic Alias included twice is a Protocol Error', () => {
    expectMalformed(5, hex`30 0a 00 01 61 06 23 00 01 23 00 02`);
  });

  it('§3.2.2.3.3 Receive Maximum included twice is a Protocol Error', () => {
    expectMalformed(5, hex`20 09 00 00 06 21 00 0a 21 00 0b`);
  });

  it('§3.2.2.3.3 Receive Maximum 0 is a Protocol Error', () => {
    expectMalformed(5, hex`20 06 00 00 03 21 00 00`);
  });

  it('§3.2.2.3.4 Maximum QoS other than 0 or 1 is a Protocol Error', () => {
    expectMalformed(5, hex`20 05 00 00 02 24 02`);
  });

  it('§3.2.2.3.5 / §3.2.2.3.11-13 Retain / Wildcard / Subscription Identifier / Shared Available 2', () => {
    expectMalformed(5, hex`20 05 00 00 02 25 02`);
    expectMalformed(5, hex`20 05 00 00 02 28 02`);
    expectMalformed(5, hex`20 05 00 00 02 29 02`);
    expectMalformed(5, hex`20 05 00 00 02 2a 02`);
  });

  it('§3.2.2.3.6 Maximum Packet Size 0 is a Protocol Error', () => {
    expectMalformed(5, hex`20 08 00 00 05 27 00 00 00 00`);
  });

  it('§3.3.2.3.4 Topic Alias 0 is not permitted', () => {
    expectMalformed(5, hex`30 07 00 01 61 03 23 00 00`);
  });

  it('§3.3.2.3.8 Subscription Identifier 0 is a Protocol Error', () => {
    expectMalformed(5, hex`30 06 00 01 61 02 0b 00`);
  });

  it('[MQTT-3.14.2-2] a server must not send Session Expiry Interval on DISCONNECT', () => {
    expectMalformed(5, hex`e0 07 00 05 11 00 00 00 0a`);
  });

  it('§3.15.2.2.2 AUTH without Authentication Method is a Protocol Error', () => {
    expectMalformed(5, hex`f0 02 18 00`);
  });
});

describe('encoding', () => {
  it('5.0 §3.1.2.9 a Password without a User Name is allowed in MQTT 5', () => {
    expectEncoded(
      {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 5,
        clientId: 'c',
        clean: true,
        password: Buffer.from('pw'),
      },
      5,
      hex`
        10 12 00 04 4d 51 54 54 05
        42                        # flags: password 40 | clean start 02
        00 00 00                  # keep alive 0, property length 0
        00 01 63                  # client id "c"
        00 02 70 77               # password "pw"
      `,
    );
  });

  const publish = publishPacket;

  it('3.1.1 §1.5.3 / 5.0 §1.5.4 a string longer than 65535 bytes is refused, not truncated', () => {
    // mqtt-packet returns the 4 bytes 30 85 80 04 here: a header announcing 65541 bytes that never follow.
    expectEncodeRefused(publish({ topic: 'a'.repeat(65536) }), 4);
    expectEncodeRefused(publish({ topic: 'a'.repeat(65536) }), 5);
  });

  it('[MQTT-2.3.1-1] / 5.0 [MQTT-2.2.1-3] Packet Identifier 0 is refused on PUBLISH QoS 1', () => {
    expectEncodeRefused(publish({ qos: 1, messageId: 0 }), 4);
  });

  it('[MQTT-2.3.1-1] / 5.0 [MQTT-2.2.1-3] Packet Identifier 0 is refused on SUBSCRIBE and UNSUBSCRIBE', () => {
    expectEncodeRefused({ cmd: 'subscribe', messageId: 0, subscriptions: [{ topic: 'a', qos: 0 }] }, 4);
    expectEncodeRefused({ cmd: 'unsubscribe', messageId: 0, unsubscriptions: ['a'] }, 4);
  });

  it('[MQTT-3.3.1-2] DUP set on a QoS 0 PUBLISH is refused', () => {
    expectEncodeRefused(publish({ dup: true }), 4);
  });

  it('[MQTT-3.3.2-2] a PUBLISH Topic Name with wildcard characters is refused', () => {
    expectEncodeRefused(publish({ topic: 'a/+' }), 4);
    expectEncodeRefused(publish({ topic: 'a/#' }), 5);
  });

  it('[MQTT-1.5.3-2] / [MQTT-1.5.4-2] a topic with U+0000 is refused', () => {
    expectEncodeRefused(publish({ topic: 'a\u0000' }), 4);
  });

  it('[MQTT-1.5.3-1] / [MQTT-1.5.4-1] a lone surrogate is refused, not replaced by U+FFFD', () => {
    expectEncodeRefused(publish({ topic: 'a\ud800' }), 5);
  });

  it('[MQTT-3.3.4-6] a client PUBLISH with a Subscription Identifier is refused', () => {
    expectEncodeRefused(publish({ properties: { subscriptionIdentifier: 1 } }), 5);
  });

  it('[MQTT-3.3.2-8] a PUBLISH with Topic Alias 0 is refused', () => {
    expectEncodeRefused(publish({ properties: { topicAlias: 0 } }), 5);
  });
});
