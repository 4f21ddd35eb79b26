/**
 * Hostile peer, MQTT 5 properties (issue 8; MQTT 5.0 §2.2.2): unknown identifiers, a property included twice
 * where only one is allowed, a property not allowed on that packet type, values out of range, and the client's
 * own limits (Topic Alias Maximum, Maximum Packet Size, Receive Maximum) exceeded by the server.
 *
 * §2.2.2.2: an identifier not valid for the packet type is a Malformed Packet (0x81); "It is a Protocol Error to
 * include the X more than once" and out-of-range values are Protocol Errors (0x82) unless a more specific code is
 * named (0x93, 0x94, 0x95).
 */
import type { Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { QMqttClient } from '../../lib/client';
import {
  connectWithInflight,
  expectHealthy,
  expectViolation,
  frame,
  installGuards,
  MALFORMED,
  PROTOCOL_ERROR,
  runRows,
  str,
} from './harness';

installGuards();

const TOPIC_ALIAS_INVALID = 0x94;
const PACKET_TOO_LARGE = 0x95;
const RECEIVE_MAXIMUM_EXCEEDED = 0x93;
const V5 = [5] as const;

/** The client accepts topic aliases up to `n` (its Topic Alias Maximum in CONNECT). */
const aliases = (n: number) => ({
  configure: (c: QMqttClient) => {
    const p = c.connectionProperties();
    p.setMaximumTopicAlias(n);
    c.setConnectionProperties(p);
  },
});

/** A QoS 0 PUBLISH to `a` with raw property bytes and payload `x`. */
const publishWith = (props: number[], topic = 'a'): Buffer =>
  frame(0x30, [...str(topic), props.length, ...props, 0x78]);
/** A CONNACK (success, Session Present 0) with raw property bytes. */
const connackWith = (props: number[]): Buffer => frame(0x20, [0, 0, props.length, ...props]);
/** A PUBACK for id 77 (not in flight) with raw property bytes. */
const pubackWith = (props: number[]): Buffer => frame(0x40, [0, 77, 0, props.length, ...props]);

describe('unknown property identifiers', () => {
  runRows([
    {
      name: '§2.2.2.2 unknown property identifier 0x7f in a PUBACK',
      levels: V5,
      bytes: () => pubackWith([0x7f, 0]),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.2 property identifier 0x00 in a PUBLISH',
      levels: V5,
      bytes: () => publishWith([0x00, 0]),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.2 unknown property identifier 0x7f in a CONNACK',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x7f, 0]),
      reasons: [MALFORMED],
    },
  ]);
});

describe('a property included more than once where only one is allowed', () => {
  runRows([
    {
      name: '§3.3.2.3.4 Topic Alias twice in a PUBLISH',
      levels: V5,
      bytes: () => publishWith([0x23, 0, 1, 0x23, 0, 2]),
      reasons: [PROTOCOL_ERROR],
      options: aliases(10),
    },
    {
      name: '§3.3.2.3.3 Message Expiry Interval twice in a PUBLISH',
      levels: V5,
      bytes: () => publishWith([0x02, 0, 0, 0, 5, 0x02, 0, 0, 0, 6]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '§3.3.2.3.9 Content Type twice in a PUBLISH',
      levels: V5,
      bytes: () => publishWith([0x03, ...str('a'), 0x03, ...str('b')]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '§3.4.2.2.2 Reason String twice in a PUBACK',
      levels: V5,
      bytes: () => pubackWith([0x1f, ...str('a'), 0x1f, ...str('b')]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '§3.2.2.3.3 Receive Maximum twice in a CONNACK',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x21, 0, 10, 0x21, 0, 11]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '§3.2.2.3.4 Maximum QoS twice in a CONNACK',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x24, 0, 0x24, 1]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '§3.2.2.3.7 Assigned Client Identifier twice in a CONNACK',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x12, ...str('a'), 0x12, ...str('b')]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '§3.14.2.2.4 Server Reference twice in a DISCONNECT',
      levels: V5,
      bytes: () => frame(0xe0, [0x9c, 8, 0x1c, ...str('a'), 0x1c, ...str('b')]),
      reasons: [PROTOCOL_ERROR],
    },
  ]);

  it('§3.3.2.3.7 §3.3.2.3.8 User Property and Subscription Identifier may repeat: the PUBLISH is delivered', async () => {
    const h = await connectWithInflight(5);
    const got: Packet[] = [];
    h.client.messageReceived.connect((payload, topic) =>
      got.push({ cmd: 'publish', topic: topic.name(), payload } as Packet),
    );
    h.broker.sendRaw(
      publishWith([0x26, ...str('k'), ...str('1'), 0x26, ...str('k'), ...str('2'), 0x0b, 3, 0x0b, 4]),
    );
    await expectHealthy(h);
    expect(got.map((p) => (p as { topic: string }).topic)[0]).toBe('a');
  });
});

describe('a property not allowed on that packet type (§2.2.2.2: Malformed Packet)', () => {
  runRows([
    {
      name: '§2.2.2.2 Session Expiry Interval (0x11) in a PUBLISH',
      levels: V5,
      bytes: () => publishWith([0x11, 0, 0, 0, 1]),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.2 Server Keep Alive (0x13) in a PUBLISH',
      levels: V5,
      bytes: () => publishWith([0x13, 0, 5]),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.2 Topic Alias (0x23) in a PUBACK',
      levels: V5,
      bytes: () => pubackWith([0x23, 0, 1]),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.2 Authentication Method (0x15) in a PUBACK',
      levels: V5,
      bytes: () => pubackWith([0x15, ...str('x')]),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.2 Response Topic (0x08) in a SUBACK',
      levels: V5,
      bytes: () => frame(0x90, [0, 77, 4, 0x08, ...str('r'), 0]),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.2 Subscription Identifier (0x0b) in a CONNACK',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x0b, 1]),
      reasons: [MALFORMED],
    },
    {
      name: '§2.2.2.2 Will Delay Interval (0x18) in a CONNACK',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x18, 0, 0, 0, 1]),
      reasons: [MALFORMED],
    },
    {
      name: '[MQTT-3.14.2-2] Session Expiry Interval in a DISCONNECT from the server',
      levels: V5,
      bytes: () => frame(0xe0, [0x8b, 5, 0x11, 0, 0, 0, 10]),
      reasons: [PROTOCOL_ERROR, MALFORMED],
    },
  ]);
});

describe('property values out of range', () => {
  runRows([
    {
      name: '§3.2.2.3.3 CONNACK Receive Maximum 0',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x21, 0, 0]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '§3.2.2.3.6 CONNACK Maximum Packet Size 0',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x27, 0, 0, 0, 0]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '§3.2.2.3.4 CONNACK Maximum QoS 2',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x24, 2]),
      reasons: [PROTOCOL_ERROR],
    },
    ...(
      [
        ['§3.2.2.3.5 Retain Available', 0x25],
        ['§3.2.2.3.11 Wildcard Subscription Available', 0x28],
        ['§3.2.2.3.12 Subscription Identifiers Available', 0x29],
        ['§3.2.2.3.13 Shared Subscription Available', 0x2a],
      ] as const
    ).map(([name, id]) => ({
      // "It is a Protocol Error to include … a value other than 0 or 1": refused by the decoder now
      name: `${name} 2 in a CONNACK`,
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([id, 2]),
      reasons: [PROTOCOL_ERROR],
    })),
    {
      name: '§3.2.2.3.17 CONNACK Authentication Data without an Authentication Method',
      levels: V5,
      beforeConnack: true,
      bytes: () => connackWith([0x16, ...str('d')]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '[MQTT-3.3.2-8] PUBLISH Topic Alias 0',
      levels: V5,
      bytes: () => publishWith([0x23, 0, 0]),
      reasons: [TOPIC_ALIAS_INVALID, PROTOCOL_ERROR],
      options: aliases(10),
    },
    {
      name: '[MQTT-3.3.2-11] PUBLISH Topic Alias above the Topic Alias Maximum the client sent',
      levels: V5,
      bytes: () => publishWith([0x23, 0, 3]),
      reasons: [TOPIC_ALIAS_INVALID],
      options: aliases(2),
    },
    {
      name: '[MQTT-3.1.2-26] PUBLISH with a Topic Alias when the client allows none',
      levels: V5,
      bytes: () => publishWith([0x23, 0, 1]),
      reasons: [TOPIC_ALIAS_INVALID],
    },
    {
      name: '§3.3.4 PUBLISH with an empty topic and a Topic Alias the server never set',
      levels: V5,
      bytes: () => publishWith([0x23, 0, 1], ''),
      reasons: [PROTOCOL_ERROR],
      options: aliases(10),
    },
    {
      // Once closed with 0x94 (Topic Alias invalid) instead of 0x82; the decoder now refuses it with 0x82.
      name: '§3.3.2.3.8 PUBLISH Subscription Identifier 0',
      levels: V5,
      bytes: () => publishWith([0x0b, 0]),
      reasons: [PROTOCOL_ERROR],
    },
    {
      name: '[MQTT-3.3.2-14] PUBLISH Response Topic with a wildcard',
      levels: V5,
      bytes: () => publishWith([0x08, ...str('r/#')]),
      reasons: [PROTOCOL_ERROR, MALFORMED],
    },
  ]);
});

describe("the server exceeds the client's own limits", () => {
  it('[MQTT-3.1.2-24] a packet larger than the Maximum Packet Size the client sent: DISCONNECT 0x95', async () => {
    const h = await connectWithInflight(5, {
      configure: (c) => {
        const p = c.connectionProperties();
        p.setMaximumPacketSize(64);
        c.setConnectionProperties(p);
      },
    });
    h.broker.sendRaw(frame(0x30, [...str('big'), 0, ...Buffer.alloc(80, 0x61)]));
    await expectViolation(h, [PACKET_TOO_LARGE]);
  });

  it('[MQTT-3.3.4-9] more QoS 2 PUBLISH awaiting PUBREL than the Receive Maximum the client sent: 0x93', async () => {
    const h = await connectWithInflight(5, {
      configure: (c) => {
        const p = c.connectionProperties();
        p.setMaximumReceive(1);
        c.setConnectionProperties(p);
      },
    });
    h.broker.sendRaw(frame(0x34, [...str('a'), 0, 10, 0, 0x78]));
    expect(await h.broker.expect('pubrec')).toMatchObject({ messageId: 10 });
    h.broker.sendRaw(frame(0x34, [...str('a'), 0, 11, 0, 0x78]));
    await expectViolation(h, [RECEIVE_MAXIMUM_EXCEEDED]);
  });
});
