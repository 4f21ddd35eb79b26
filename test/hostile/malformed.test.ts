/**
 * Hostile peer, malformed packets (issue 8), for every packet type and protocol level where the rule applies:
 * reserved or wrong fixed-header flag bits, Remaining Lengths that are too short, too long or badly encoded,
 * truncated fields, Packet Identifier 0, strings that are not well-formed UTF-8 or hold U+0000.
 *
 * Expected outcome for each: the connection closes at once with ProtocolViolation and the reason code (MQTT 5:
 * DISCONNECT with it first), and the session's messages in flight are re-sent on the next connect.
 *
 * A row that the client does not pass yet gets `fails: [levels]` and a `// DEFECT:` comment saying what the
 * client does instead; it then runs as `it.fails` on those levels (QMQTT_SHOW_DEFECTS=1 shows why).
 */
import { describe } from 'vitest';
import {
  ALL,
  frame,
  hex,
  installGuards,
  MALFORMED,
  PROTOCOL_ERROR,
  runRows as run,
  str,
  V3X,
  type Row,
  type Version,
} from './harness';

installGuards();

const v5 = (v: Version, v5bytes: string, other: string): Buffer => hex(v === 5 ? v5bytes : other);

describe('reserved and wrong fixed-header flag bits', () => {
  run([
    {
      name: '[MQTT-2.2.2-2] [MQTT-2.1.3-1] CONNACK with flags 0001',
      levels: ALL,
      beforeConnack: true,
      bytes: (v) => v5(v, '21 03 00 00 00', '21 02 00 00'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-2.2.2-2] [MQTT-2.1.3-1] PUBACK with flags 0010',
      levels: ALL,
      bytes: () => hex('42 02 00 4d'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-2.2.2-2] [MQTT-2.1.3-1] PUBREC with flags 0001',
      levels: ALL,
      bytes: () => hex('51 02 00 4d'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.6.1-1] PUBREL with flags 0000',
      levels: ALL,
      bytes: () => hex('60 02 00 4d'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.6.1-1] PUBREL with flags 0011',
      levels: ALL,
      bytes: () => hex('63 02 00 4d'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-2.2.2-2] [MQTT-2.1.3-1] PUBCOMP with flags 1000',
      levels: ALL,
      bytes: () => hex('78 02 00 4d'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-2.2.2-2] [MQTT-2.1.3-1] SUBACK with flags 0010',
      levels: ALL,
      bytes: (v) => v5(v, '92 04 00 4d 00 00', '92 03 00 4d 00'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-2.2.2-2] [MQTT-2.1.3-1] UNSUBACK with flags 0001',
      levels: ALL,
      bytes: (v) => v5(v, 'b1 04 00 4d 00 00', 'b1 02 00 4d'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-2.2.2-2] [MQTT-2.1.3-1] PINGRESP with flags 0100',
      levels: ALL,
      bytes: () => hex('d4 00'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.14.1-1] DISCONNECT with flags 0010',
      levels: [5],
      bytes: () => hex('e2 00'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.15.1-1] AUTH with flags 0001',
      levels: [5],
      bytes: () => hex('f1 02 18 00'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.3.1-4] PUBLISH with both QoS bits set',
      levels: ALL,
      bytes: (v) => v5(v, '36 07 00 01 61 00 07 00 78', '36 06 00 01 61 00 07 78'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.3.1-2] PUBLISH QoS 0 with DUP 1',
      levels: ALL,
      bytes: (v) => v5(v, '38 05 00 01 61 00 78', '38 04 00 01 61 78'),
      reasons: [MALFORMED, PROTOCOL_ERROR],
    },
    {
      name: '[MQTT-3.2.2-1] CONNACK Acknowledge Flags bits 7-1 set',
      levels: ALL,
      beforeConnack: true,
      bytes: (v) => v5(v, '20 03 02 00 00', '20 02 02 00'),
      reasons: [MALFORMED],
    },
  ]);
});

describe('Remaining Length too short, too long or badly encoded', () => {
  run([
    {
      name: '3.1.1 §3.4.1 / 5.0 §3.4.2 PUBACK with Remaining Length 1',
      levels: ALL,
      bytes: () => hex('40 01 00'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.3.2-1] PUBLISH QoS 1 whose Remaining Length ends before the Packet Identifier',
      levels: ALL,
      bytes: () => hex('32 03 00 01 61 d0 00'),
      reasons: [MALFORMED],
    },
    {
      name: '3.1.1 §3.2.1 CONNACK with Remaining Length 1',
      levels: ALL,
      beforeConnack: true,
      bytes: () => hex('20 01 00'),
      reasons: [MALFORMED],
    },
    {
      name: '3.1.1 §3.9.3 / [MQTT-3.8.4-6] SUBACK without a return code',
      levels: ALL,
      bytes: (v) => v5(v, '90 03 00 4d 00', '90 02 00 4d'),
      reasons: [MALFORMED, PROTOCOL_ERROR],
    },
    {
      name: '3.1.1 §3.4.1 PUBACK with Remaining Length 3',
      levels: V3X,
      bytes: () => hex('40 03 00 4d 00'),
      reasons: [MALFORMED],
    },
    {
      name: '§3.13.1 PINGRESP with Remaining Length 1',
      levels: ALL,
      bytes: () => hex('d0 01 00'),
      reasons: [MALFORMED],
    },
    {
      name: '3.1.1 §3.2.1 CONNACK with Remaining Length 3',
      levels: V3X,
      beforeConnack: true,
      bytes: () => hex('20 03 00 00 00'),
      reasons: [MALFORMED],
    },
    {
      name: '3.1.1 §3.11.1 UNSUBACK with Remaining Length 3',
      levels: V3X,
      bytes: () => hex('b0 03 00 4d 00'),
      reasons: [MALFORMED],
    },
    {
      name: '5.0 §3.4.2 PUBACK with bytes after its properties',
      levels: [5],
      bytes: () => hex('40 05 00 4d 00 00 00'),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.3 / §1.5.5 Remaining Length of five bytes',
      levels: ALL,
      bytes: () => hex('30 ff ff ff ff 7f'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-1.5.5-1] Remaining Length not encoded in the minimum number of bytes',
      levels: [5],
      bytes: () => hex('d0 80 00'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-2.2.2-1] 5.0 CONNACK without a Property Length',
      levels: [5],
      beforeConnack: true,
      bytes: () => hex('20 02 00 00'),
      reasons: [MALFORMED],
    },
  ]);
});

describe('Remaining Length of PUBREC, PUBREL and PUBCOMP', () => {
  const acks = [
    ['PUBREC', 0x50, '§3.5'],
    ['PUBREL', 0x62, '§3.6'],
    ['PUBCOMP', 0x70, '§3.7'],
  ] as const;
  run(
    acks.flatMap(([name, first, section]): Row[] => [
      {
        name: `3.1.1 ${section}.1 / 5.0 ${section}.2 ${name} with Remaining Length 1`,
        levels: ALL,
        bytes: () => Buffer.from([first, 0x01, 0x00]),
        reasons: [MALFORMED],
      },
      {
        name: `3.1.1 ${section}.1 ${name} with Remaining Length 3`,
        levels: V3X,
        bytes: () => Buffer.from([first, 0x03, 0x00, 0x4d, 0x00]),
        reasons: [MALFORMED],
      },
      {
        name: `5.0 ${section}.2 ${name} with bytes after its properties`,
        levels: [5],
        bytes: () => Buffer.from([first, 0x05, 0x00, 0x4d, 0x00, 0x00, 0x00]),
        reasons: [MALFORMED],
      },
    ]),
  );
});

describe('truncated fields', () => {
  run([
    {
      name: '[MQTT-3.3.2-1] PUBLISH topic length running past the packet',
      levels: ALL,
      bytes: () => hex('30 03 00 05 61 d0 00'),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.1 SUBACK whose Packet Identifier is cut off',
      levels: ALL,
      bytes: () => hex('90 01 00 d0 00'),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.1 Property Length running past the end of a PUBLISH',
      levels: [5],
      bytes: () => hex('30 05 00 01 61 05 01 d0 00'),
      reasons: [MALFORMED],
    },
    {
      name: '§1.5.4 Reason String whose length runs past the end of a PUBACK',
      levels: [5],
      bytes: () => hex('40 07 00 4d 00 03 1f 00 05 d0 00'),
      reasons: [MALFORMED],
    },
    {
      name: '§1.5.7 User Property with a name and no value',
      levels: [5],
      bytes: () => hex('40 0a 00 4d 00 06 26 00 01 61 00 05 d0 00'),
      reasons: [MALFORMED],
    },
    {
      name: '§3.3.2.3.5 Message Expiry Interval (four bytes) with two bytes left in the properties',
      levels: [5],
      bytes: () => hex('30 07 00 01 61 03 02 00 01 d0 00'),
      reasons: [MALFORMED],
    },
  ]);
});

describe('MQTT 5: reason codes a packet does not define, bytes after the properties', () => {
  run([
    ...(
      [
        ['[MQTT-3.4.2-1] PUBACK', '40 03 00 4d 05'],
        ['[MQTT-3.5.2-1] PUBREC', '50 03 00 4d 92'],
        ['[MQTT-3.6.2-1] PUBREL', '62 03 00 4d 10'],
        ['[MQTT-3.7.2-1] PUBCOMP', '70 03 00 4d 80'],
        ['[MQTT-3.9.3-2] SUBACK', '90 04 00 4d 00 03'],
        ['[MQTT-3.11.3-2] UNSUBACK', 'b0 04 00 4d 00 05'],
        ['[MQTT-3.15.2-1] AUTH', 'f0 02 05 00'],
      ] as const
    ).map(([spec, bytes]): Row => ({
      name: `${spec} with a reason code that packet does not define`,
      levels: [5],
      bytes: () => hex(bytes),
      reasons: [MALFORMED, PROTOCOL_ERROR],
    })),
    {
      name: '§3.14.2 a DISCONNECT with bytes after its properties',
      levels: [5],
      bytes: () => hex('e0 03 8b 00 00'),
      reasons: [MALFORMED],
    },
    {
      name: '§3.9.2.1 a SUBACK whose Property Length runs past the packet',
      levels: [5],
      bytes: () => hex('90 04 00 4d 09 00'),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-1.5.4-2] CONNACK Reason String with U+0000',
      levels: [5],
      beforeConnack: true,
      bytes: () => frame(0x20, [0, 0, 6, 0x1f, ...str(hex('61 00 62'))]),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-1.5.4-1] Server Reference of a DISCONNECT with ill-formed UTF-8',
      levels: [5],
      bytes: () => frame(0xe0, [0x9c, 5, 0x1c, ...str(hex('c3 28'))]),
      reasons: [MALFORMED],
    },
  ]);
});

describe('Packet Identifier 0', () => {
  const id0 = (v: Version, first: number, idBody: number[], tail: number[] = []): Buffer =>
    frame(first, [...idBody, ...(v === 5 ? tail : [])]);
  run([
    {
      name: '3.1.1 [MQTT-2.3.1-1] / 5.0 [MQTT-2.2.1-4] PUBLISH QoS 1 with Packet Identifier 0',
      levels: ALL,
      bytes: (v) => frame(0x32, [...str('a'), 0, 0, ...(v === 5 ? [0] : []), 0x78]),
      reasons: [PROTOCOL_ERROR, MALFORMED],
    },
    {
      name: '3.1.1 [MQTT-2.3.1-1] / 5.0 [MQTT-2.2.1-4] PUBLISH QoS 2 with Packet Identifier 0',
      levels: ALL,
      bytes: (v) => frame(0x34, [...str('a'), 0, 0, ...(v === 5 ? [0] : []), 0x78]),
      reasons: [PROTOCOL_ERROR, MALFORMED],
    },
    ...(
      [
        ['PUBACK', 0x40, []],
        ['PUBREC', 0x50, []],
        ['PUBREL', 0x62, []],
        ['PUBCOMP', 0x70, []],
        ['SUBACK', 0x90, [0x00]],
        ['UNSUBACK', 0xb0, []],
      ] as const
    ).map(([name, first, body]): Row => ({
      // A Packet Identifier is non-zero by definition (§2.2.1 / 3.1.1 §2.3.1): an acknowledgement naming 0 can
      // only come from a broken server (strict reading; an ack for an unknown id is otherwise ignored).
      name: `§2.2.1 ${name} with Packet Identifier 0`,
      levels: ALL,
      bytes: (v) =>
        id0(
          v,
          first,
          name === 'SUBACK' ? (v === 5 ? [0, 0, 0, ...body] : [0, 0, ...body]) : [0, 0],
          name === 'UNSUBACK' ? [0, 0] : [],
        ),
      reasons: [PROTOCOL_ERROR, MALFORMED],
    })),
  ]);
});

describe('strings that are not well-formed UTF-8 or contain U+0000', () => {
  /** A QoS 0 PUBLISH from the server with `topic` bytes. */
  const publish = (v: Version, topic: Buffer): Buffer =>
    frame(0x30, [...str(topic), ...(v === 5 ? [0] : []), 0x78]);
  const topics: [string, string][] = [
    ['ill-formed UTF-8 (c3 28)', 'c3 28'],
    ['a UTF-16 surrogate encoded (ed a0 80)', 'ed a0 80'],
    ['an overlong encoding (c0 af)', '61 c0 af'],
    ['a five-byte sequence (f8 88 80 80 80)', 'f8 88 80 80 80'],
    ['U+0000', '61 00 62'],
    ['U+0000 after a non-ASCII character (c3 a9 00)', 'c3 a9 00'],
  ];
  run([
    ...topics.map(([what, bytes]): Row => ({
      name: `[MQTT-1.5.4-1] [MQTT-1.5.4-2] (3.1.1 [MQTT-1.5.3-1/2]) topic of an incoming PUBLISH with ${what}`,
      levels: ALL,
      bytes: (v) => publish(v, hex(bytes)),
      reasons: [MALFORMED],
    })),
    {
      name: '[MQTT-3.3.2-2] topic of an incoming PUBLISH with a wildcard',
      levels: ALL,
      bytes: (v) => publish(v, Buffer.from('a/+')),
      reasons: [PROTOCOL_ERROR, MALFORMED, 0x90],
    },
    {
      name: '[MQTT-4.7.3-1] incoming PUBLISH with an empty topic (and no Topic Alias)',
      levels: ALL,
      bytes: (v) => publish(v, Buffer.alloc(0)),
      reasons: [PROTOCOL_ERROR, MALFORMED],
    },
    {
      name: '[MQTT-1.5.4-1] Reason String of a PUBACK with ill-formed UTF-8',
      levels: [5],
      bytes: () => frame(0x40, [0, 77, 0x80, 5, 0x1f, ...str(hex('c3 28'))]),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-1.5.4-2] Reason String of a PUBACK with U+0000',
      levels: [5],
      bytes: () => frame(0x40, [0, 77, 0x80, 5, 0x1f, ...str(hex('61 00'))]),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-1.5.7-1] User Property name with ill-formed UTF-8 in a PUBLISH',
      levels: [5],
      bytes: () => frame(0x30, [...str('a'), 7, 0x26, ...str(hex('c3 28')), ...str('v'), 0x78]),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-1.5.4-2] Reason String of a PUBACK with U+0000 after a non-ASCII character',
      levels: [5],
      bytes: () => frame(0x40, [0, 77, 0x80, 6, 0x1f, ...str(hex('c3 a9 00'))]),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.3.2-19] Content Type of a PUBLISH with U+0000',
      levels: [5],
      bytes: () => frame(0x30, [...str('a'), 5, 0x03, ...str(hex('61 00')), 0x78]),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-1.5.4-1] Reason String of a server DISCONNECT with ill-formed UTF-8',
      levels: [5],
      bytes: () => frame(0xe0, [0x8b, 5, 0x1f, ...str(hex('c3 28'))]),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-1.5.4-2] Assigned Client Identifier with U+0000 in CONNACK',
      levels: [5],
      beforeConnack: true,
      bytes: () => frame(0x20, [0, 0, 6, 0x12, ...str(hex('61 00 62'))]),
      reasons: [MALFORMED],
    },
  ]);
});
