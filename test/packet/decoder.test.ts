/**
 * Framing through the codec wrapper: Remaining Length boundaries (§2.2.3 in 3.1.1, §1.5.5 / §2.1.4 in 5.0) in both
 * directions, and the incremental decoder fed in arbitrary chunks.
 */
import { describe, it, expect } from 'vitest';
import { encodePacket, PacketDecoder, type WireProtocolVersion } from '../../lib/packet/codec';
import { bytewise, decode, hex, PINGRESP } from './helpers';

const LEVELS = [3, 4, 5] as const;

/**
 * Remaining Length → its variable byte integer, written by hand: each byte carries 7 bits, least significant
 * group first, bit 7 set when another byte follows.
 */
const BOUNDARIES: [number, Buffer][] = [
  [127, hex`7f`],
  [128, hex`80 01`],
  [16383, hex`ff 7f`],
  [16384, hex`80 80 01`],
  [2097151, hex`ff ff 7f`],
  [2097152, hex`80 80 80 01`],
];

describe.each(LEVELS)('Remaining Length boundaries, level %i', (version: WireProtocolVersion) => {
  // PUBLISH QoS 0 to topic "a": 00 01 61, then (MQTT 5 only) Property Length 00, then the payload.
  const head = version === 5 ? hex`00 01 61 00` : hex`00 01 61`;

  it.each(BOUNDARIES)('remaining length %i is encoded in the expected bytes', (remaining, lengthBytes) => {
    const payload = Buffer.alloc(remaining - head.length, 0x5a);
    const wire = Buffer.concat([hex`30`, lengthBytes, head, payload]);

    const encoded = encodePacket(
      { cmd: 'publish', topic: 'a', payload, qos: 0, dup: false, retain: false },
      version,
    );
    expect(encoded.subarray(0, 1 + lengthBytes.length + head.length).toString('hex')).toBe(
      wire.subarray(0, 1 + lengthBytes.length + head.length).toString('hex'),
    );
    expect(encoded.length).toBe(wire.length);
    expect(encoded.equals(wire)).toBe(true);

    const { packets, errors } = decode(version, wire);
    expect(errors).toEqual([]);
    expect(packets).toHaveLength(1);
    const p = packets[0]!;
    expect(p.cmd).toBe('publish');
    if (p.cmd !== 'publish') return;
    expect(p.topic).toBe('a');
    expect(Buffer.isBuffer(p.payload) && p.payload.equals(payload)).toBe(true);
  });

  it('a multi-byte Remaining Length split between two pushes', () => {
    const payload = Buffer.alloc(128 - head.length, 0x5a);
    const wire = Buffer.concat([hex`30 80 01`, head, payload]);
    const { packets, errors } = decode(version, wire.subarray(0, 2), wire.subarray(2));
    expect(errors).toEqual([]);
    expect(packets.map((p) => p.cmd)).toEqual(['publish']);
  });
});

/** One server→client stream per level, every packet hand-written, with the commands it must decode to. */
const STREAMS: Record<WireProtocolVersion, { wire: Buffer; cmds: string[] }> = {
  3: {
    wire: hex`
      20 02 00 00                         # CONNACK accepted
      90 04 00 01 00 01                   # SUBACK id 1: QoS 0, QoS 1
      32 09 00 03 61 2f 62 00 02 68 69    # PUBLISH QoS 1 "a/b" id 2 "hi"
      40 02 00 03                         # PUBACK id 3
      d0 00                               # PINGRESP
    `,
    cmds: ['connack', 'suback', 'publish', 'puback', 'pingresp'],
  },
  4: {
    wire: hex`
      20 02 01 00                         # CONNACK accepted, session present
      90 04 00 01 00 01                   # SUBACK
      34 09 00 03 61 2f 62 00 02 68 69    # PUBLISH QoS 2 "a/b" id 2 "hi"
      62 02 00 02                         # PUBREL id 2
      50 02 00 04                         # PUBREC id 4
      70 02 00 04                         # PUBCOMP id 4
      b0 02 00 05                         # UNSUBACK id 5
      d0 00                               # PINGRESP
    `,
    cmds: ['connack', 'suback', 'publish', 'pubrel', 'pubrec', 'pubcomp', 'unsuback', 'pingresp'],
  },
  5: {
    wire: hex`
      20 08 00 00 05 22 00 05 24 01       # CONNACK, topic alias maximum 5, maximum QoS 1
      90 05 00 01 00 00 01                # SUBACK id 1, no properties: QoS 0, QoS 1
      32 10 00 03 61 2f 62 00 02          # PUBLISH QoS 1 "a/b" id 2
      06 23 00 01 0b 80 01                #   properties: topic alias 1, subscription identifier 128
      68 69                               #   payload "hi"
      40 0b 00 03 10 07 1f 00 04 6e 6f 6e 65   # PUBACK id 3, no matching subscribers, reason string "none"
      f0 0a 18 08 15 00 05 53 43 52 41 4d # AUTH continue, method "SCRAM"
      d0 00                               # PINGRESP
      e0 01 8b                            # DISCONNECT server shutting down
    `,
    cmds: ['connack', 'suback', 'publish', 'puback', 'auth', 'pingresp', 'disconnect'],
  },
};

describe.each(LEVELS)('streaming, level %i', (version: WireProtocolVersion) => {
  const { wire, cmds } = STREAMS[version];

  it('several packets in one chunk come out in order', () => {
    const { packets, errors } = decode(version, wire);
    expect(errors).toEqual([]);
    expect(packets.map((p) => p.cmd)).toEqual(cmds);
  });

  it('the same stream pushed one byte at a time gives the same packets', () => {
    const whole = decode(version, wire).packets;
    const { packets, errors } = decode(version, ...bytewise(wire));
    expect(errors).toEqual([]);
    expect(packets.map((p) => p.cmd)).toEqual(cmds);
    expect(packets).toEqual(whole);
  });

  it('the same stream cut at every possible offset gives the same packets', () => {
    const whole = decode(version, wire).packets;
    for (let cut = 1; cut < wire.length; cut++) {
      const { packets, errors } = decode(version, wire.subarray(0, cut), wire.subarray(cut));
      expect(errors, `cut at ${cut}`).toEqual([]);
      expect(packets, `cut at ${cut}`).toEqual(whole);
    }
  });

  it('a packet is delivered only once its last byte has arrived', () => {
    const delivered: string[] = [];
    const decoder = new PacketDecoder(
      version,
      (p) => delivered.push(p.cmd),
      () => delivered.push('error'),
    );
    const puback = hex`40 02 00 07`;
    decoder.push(Buffer.concat([PINGRESP, puback.subarray(0, 3)]));
    expect(delivered).toEqual(['pingresp']);
    decoder.push(puback.subarray(3));
    expect(delivered).toEqual(['pingresp', 'puback']);
  });
});

describe('a large PUBLISH split across many pushes', () => {
  it.each(LEVELS)('level %i: 16384-byte remaining length pushed in 1000-byte chunks', (version) => {
    const head = version === 5 ? hex`00 01 61 00` : hex`00 01 61`;
    const payload = Buffer.alloc(16384 - head.length);
    for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
    const wire = Buffer.concat([hex`31 80 80 01`, head, payload, PINGRESP]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < wire.length; i += 1000) chunks.push(wire.subarray(i, i + 1000));
    const { packets, errors } = decode(version, ...chunks);
    expect(errors).toEqual([]);
    expect(packets.map((p) => p.cmd)).toEqual(['publish', 'pingresp']);
    const p = packets[0]!;
    if (p.cmd !== 'publish') return;
    expect(p.retain).toBe(true);
    expect(Buffer.isBuffer(p.payload) && p.payload.equals(payload)).toBe(true);
  });
});
