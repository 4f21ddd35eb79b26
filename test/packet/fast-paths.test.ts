/**
 * SUBSCRIBE / UNSUBSCRIBE are encoded, and CONNACK / SUBACK / UNSUBACK decoded, without mqtt-packet when they carry no
 * properties (a client with 10,000 subscriptions sends and receives 10,000 of them); so are CONNECT and
 * DISCONNECT without properties (mqtt-packet's first `generate` builds a 6 MB cache of number buffers). The result must be exactly
 * what mqtt-packet gives: same bytes out, same fields in. Packets with properties or v5 subscription options
 * still go through mqtt-packet; those are compared too, so either path is held to the same answer.
 */
import { describe, it, expect } from 'vitest';
import * as mqtt from 'mqtt-packet';
import { encodePacket, type Packet, type WireProtocolVersion } from '../../lib/packet/codec';
import { fastEncodeParts } from '../../lib/packet/fast-encode';
import { fastDecode } from '../../lib/packet/inbound';
import { decodeOne, hex } from './helpers';
import { buildConnectPacket } from '../../lib/connect-config';
import { ProtocolVersion } from '../../lib/state';
import { QMqttConnectionProperties, QMqttLastWillProperties } from '../../lib/properties';

const LEVELS = [3, 4, 5] as const;

function parsedByMqttPacket(version: WireProtocolVersion, bytes: Buffer): Record<string, unknown> {
  const parser = mqtt.parser({ protocolVersion: version });
  let out: Record<string, unknown> | undefined;
  parser.on('packet', (p) => (out = p as unknown as Record<string, unknown>));
  parser.parse(bytes);
  return out!;
}

function fields(p: Record<string, unknown>): Record<string, unknown> {
  const { cmd, messageId, granted, properties, length } = p;
  return { cmd, messageId, granted, properties, length };
}

describe.each(LEVELS)('level %i', (version: WireProtocolVersion) => {
  const subscribes: Packet[] = [
    { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 0 }] },
    {
      cmd: 'subscribe',
      messageId: 65535,
      subscriptions: [
        { topic: 'a/+/b', qos: 1 },
        { topic: '#', qos: 2 },
        { topic: 'ü/€/😀', qos: 0 },
      ],
    },
    { cmd: 'subscribe', messageId: 7, subscriptions: [{ topic: 'x'.repeat(200), qos: 1 }] },
    { cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['a'] },
    { cmd: 'unsubscribe', messageId: 300, unsubscriptions: ['a/#', 'ü/+', 'y'.repeat(150)] },
  ];

  it.each(subscribes.map((p, i) => [i, p] as const))(
    'SUBSCRIBE / UNSUBSCRIBE #%i: the direct encoding equals mqtt-packet’s',
    (_i, packet) => {
      const fast = fastEncodeParts(packet, version, Infinity);
      expect(fast).toBeDefined();
      expect(encodePacket(packet, version).toString('hex')).toBe(
        mqtt.generate(packet, { protocolVersion: version }).toString('hex'),
      );
    },
  );

  const withOptions: Packet = {
    cmd: 'subscribe',
    messageId: 3,
    subscriptions: [
      { topic: 'a', qos: 1, nl: true, rap: false, rh: 1 },
      { topic: 'b/#', qos: 2, nl: false, rap: true, rh: 2 },
    ],
  };
  const withProps: Packet = {
    cmd: 'subscribe',
    messageId: 3,
    subscriptions: [{ topic: 'a', qos: 1 }],
    properties: { subscriptionIdentifier: 9, userProperties: { k: ['1', '2'], j: 'x' } },
  };
  const unsubscribeWithProps: Packet = {
    cmd: 'unsubscribe',
    messageId: 4,
    unsubscriptions: ['a', 'b/+'],
    properties: { userProperties: { k: 'v' } },
  };
  if (version === 5)
    it.each([
      ['options', withOptions],
      ['properties', withProps],
      ['UNSUBSCRIBE properties', unsubscribeWithProps],
    ] as const)(
      '§3.8.3.1 §3.8.2.1 SUBSCRIBE / UNSUBSCRIBE with v5 %s: encoded directly, as mqtt-packet does',
      (_n, packet) => {
        expect(fastEncodeParts(packet, version, Infinity)).toBeDefined();
        expect(encodePacket(packet, version).toString('hex')).toBe(
          mqtt.generate(packet, { protocolVersion: version }).toString('hex'),
        );
      },
    );
  else
    it('SUBSCRIBE with v5 options or properties below MQTT 5 is left to mqtt-packet', () => {
      expect(fastEncodeParts(withOptions, version, Infinity)).toBeUndefined();
      expect(fastEncodeParts(withProps, version, Infinity)).toBeUndefined();
    });

  const v5 = version === 5;
  const acks: Buffer[] = [
    v5 ? hex`90 04 00 01 00 00` : hex`90 03 00 01 00`,
    v5 ? hex`90 07 ff ff 00 00 01 02 80` : hex`90 06 ff ff 00 01 02 80`,
    v5 ? hex`b0 04 00 05 00 00` : hex`b0 02 00 05`,
    ...(v5 ? [hex`b0 06 01 00 00 00 11 80`, hex`90 05 00 02 00 87 91`] : []),
  ];

  it.each(acks.map((b) => [b.toString('hex'), b] as const))(
    'SUBACK / UNSUBACK %s: decoded directly, with the fields mqtt-packet gives',
    (_hex, bytes) => {
      const body = bytes.subarray(2);
      expect(fastDecode(bytes[0]!, body, version)).toBeDefined();
      expect(fields(decodeOne(version, bytes))).toEqual(fields(parsedByMqttPacket(version, bytes)));
    },
  );

  const connacks: Buffer[] = v5
    ? [hex`20 03 00 00 00`, hex`20 03 01 00 00`, hex`20 03 00 87 00`]
    : [hex`20 02 00 00`, hex`20 02 01 00`, hex`20 02 00 05`];
  it.each(connacks.map((b) => [b.toString('hex'), b] as const))(
    'CONNACK %s: decoded directly, with the fields mqtt-packet gives (a 3.1.1 client never loads mqtt-packet)',
    (_hex, bytes) => {
      expect(fastDecode(bytes[0]!, bytes.subarray(2), version)).toBeDefined();
      const pick = (p: Record<string, unknown>) => {
        const { cmd, sessionPresent, returnCode, reasonCode, properties, length } = p;
        return { cmd, sessionPresent, returnCode, reasonCode, properties, length };
      };
      expect(pick(decodeOne(version, bytes))).toEqual(pick(parsedByMqttPacket(version, bytes)));
    },
  );

  if (v5)
    it('§3.2.2.3 CONNACK with properties: decoded directly, the properties as mqtt-packet gives them', () => {
      // Receive Maximum 10, Retain Available 0, Maximum QoS 1, Assigned Client Identifier "id"
      const bytes = hex`20 0f 00 00 0c 21 00 0a 25 00 24 01 12 00 02 69 64`;
      expect(fastDecode(bytes[0]!, bytes.subarray(2), version)).toBeDefined();
      const p = decodeOne(version, bytes);
      expect(p['properties']).toEqual({
        receiveMaximum: 10,
        retainAvailable: false,
        maximumQoS: 1,
        assignedClientIdentifier: 'id',
      });
      expect(p['properties']).toEqual(parsedByMqttPacket(version, bytes)['properties']);
      expect(p['reasonCode']).toBe(0);
    });

  if (v5)
    it('§3.9.2.1 SUBACK with properties: decoded directly, as mqtt-packet gives it', () => {
      const bytes = hex`90 08 00 01 04 1f 00 01 78 00`; // Reason String "x", code 0
      expect(fastDecode(bytes[0]!, bytes.subarray(2), version)).toBeDefined();
      const p = decodeOne(version, bytes);
      expect(fields(p)).toEqual(fields(parsedByMqttPacket(version, bytes)));
      expect(p['properties']).toEqual({ reasonString: 'x' });
    });

  const connects: Packet[] = [
    {
      cmd: 'connect',
      protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
      protocolVersion: version,
      clientId: 'client-ü',
      clean: true,
      keepalive: 60,
    },
    {
      cmd: 'connect',
      protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
      protocolVersion: version,
      clientId: 'c',
      clean: false,
      keepalive: 65535,
      username: 'user',
      password: Buffer.from('secret'),
      will: { topic: 'w/t', payload: Buffer.from('gone'), qos: 2, retain: true },
    },
    {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: version,
      clientId: 'x'.repeat(300),
      clean: true,
      keepalive: 0,
      username: '',
      will: { topic: 'w', payload: Buffer.alloc(0), qos: 0, retain: false },
    },
    { cmd: 'disconnect' },
    ...(v5 ? [{ cmd: 'disconnect', reasonCode: 0x04 } as Packet] : []),
  ];

  it.each(connects.map((p, i) => [i, p] as const))(
    'CONNECT / DISCONNECT #%i: the direct encoding equals mqtt-packet’s',
    (_i, packet) => {
      expect(fastEncodeParts(packet, version, Infinity)).toBeDefined();
      expect(encodePacket(packet, version).toString('hex')).toBe(
        mqtt.generate(packet, { protocolVersion: version }).toString('hex'),
      );
    },
  );

  it('CONNECT: what only 3.1.1 forbids is encoded directly under MQTT 5; what is invalid is refused', () => {
    const base = { cmd: 'connect', protocolId: 'MQTT', protocolVersion: version } as const;
    // 3.1.1-only rules [MQTT-3.1.3-7] [MQTT-3.1.2-22]: MQTT 5 allows both (§3.1.3.1, §3.1.2.9)
    const v3Only: Packet[] = [
      { ...base, clientId: '', clean: false, keepalive: 10 },
      { ...base, clientId: 'c', clean: true, keepalive: 10, password: Buffer.from('p') },
    ];
    const refused: Packet[] = [{ ...base, clientId: 'c', clean: true, keepalive: 70000 }];
    for (const p of refused) {
      expect(fastEncodeParts(p, version, Infinity)).toBeUndefined();
      expect(() => encodePacket(p, version)).toThrow();
    }
    if (version === 5) {
      expect(encodePacket(v3Only[0]!, version)).toEqual(
        hex`10 0d 00 04 4d 51 54 54 05 00 00 0a 00 00 00   # flags 00: Clean Start 0; client id ""`,
      );
      expect(encodePacket(v3Only[1]!, version)).toEqual(
        hex`10 11 00 04 4d 51 54 54 05 42 00 0a 00 00 01 63 00 01 70   # flags 42: password, Clean Start`,
      );
    } else
      for (const p of v3Only) {
        expect(fastEncodeParts(p, version, Infinity)).toBeUndefined();
        expect(() => encodePacket(p, version)).toThrow();
      }
  });
});

describe('the CONNECT of a client with default settings takes the direct path', () => {
  it.each([ProtocolVersion.MQTT_3_1, ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5_0])(
    'level %i (mqtt-packet would build its 6 MB number cache on its first encode)',
    (protocolVersion) => {
      const packet = buildConnectPacket({
        clientId: 'id',
        username: '',
        password: '',
        keepAlive: 60,
        autoKeepAlive: false,
        cleanSession: true,
        protocolVersion,
        willTopic: '',
        willMessage: Buffer.alloc(0),
        willQoS: 0,
        willRetain: false,
        connectionProperties: new QMqttConnectionProperties(),
        lastWillProperties: new QMqttLastWillProperties(),
        connectTimeout: 1000,
        tcpQuickAck: false,
        openTransport: () => Promise.reject(new Error('unused')),
      });
      expect(fastEncodeParts(packet, protocolVersion, Infinity)).toBeDefined();
    },
  );
});
