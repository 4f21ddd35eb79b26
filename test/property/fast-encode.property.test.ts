/**
 * Property: every packet a client sends, with every MQTT 5 property and subscription option it may carry, is
 * encoded by the client's own encoder (lib/packet/fast-encode.ts, encode-connect.ts, property-encode.ts), never
 * by mqtt-packet, and the bytes are exactly mqtt-packet's (§2.2.2 and each packet's properties section). User properties whose names
 * interleave keep the order they were added in [MQTT-3.3.2-18], which mqtt-packet's grouping loses.
 */
import fc from 'fast-check';
import * as mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { encodePacket, PacketDecoder, type Packet } from '../../lib/packet/codec';
import { QMqttProtocolError } from '../../lib/errors';
import { fastEncodeParts } from '../../lib/packet/fast-encode';
import { propertiesLength } from '../../lib/packet/property-encode';
import { publishPropertiesFromWire, publishPropertiesToWire } from '../../lib/properties/wire-publish';
import { QMqttPublishProperties, QMqttUserProperties } from '../../lib/properties';
import { packetArbitraries, mqttString } from './arbitraries';
import { publishPacket } from '../packet/helpers';

const RUNS = 150;

/** mqtt-packet's encoding when it gives one that its own parser reads back as one packet, else undefined. */
function referenceEncoding(packet: Packet): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = mqtt.generate(packet, { protocolVersion: 5 });
  } catch {
    return undefined;
  }
  const parser = mqtt.parser({ protocolVersion: 5 });
  let packets = 0;
  let failed = false;
  parser.on('packet', () => packets++);
  parser.on('error', () => (failed = true));
  const left = parser.parse(bytes); // bytes not consumed: the lengths do not add up
  return !failed && packets === 1 && left === 0 ? bytes : undefined;
}
const arbs = packetArbitraries(5, 'toServer');

describe('MQTT 5 client packets: the direct encoder', () => {
  it.each(Object.keys(arbs))(
    '%s: encoded without mqtt-packet, byte for byte what mqtt-packet writes',
    (name) => {
      let compared = 0;
      fc.assert(
        fc.property(arbs[name]!, (packet) => {
          const parts = fastEncodeParts(packet, 5, Infinity);
          expect(parts).toBeDefined();
          // mqtt-packet refuses what only 3.1.1 forbids (§3.1.3.1, §3.1.2.9): fast-paths.test.ts has those bytes
          const reference = referenceEncoding(packet);
          if (reference) {
            expect(Buffer.concat(parts!).toString('hex')).toBe(reference.toString('hex'));
            compared++;
          }
        }),
        { numRuns: RUNS },
      );
      expect(compared).toBeGreaterThan(RUNS / 2);
    },
  );

  it('a payload of splitAt bytes or more is its own part behind the header and properties', () => {
    const packet: Packet = {
      cmd: 'publish',
      topic: 'a/b',
      payload: Buffer.alloc(70_000, 7),
      qos: 1,
      messageId: 9,
      dup: false,
      retain: false,
      properties: { topicAlias: 2, userProperties: { k: 'v' } },
    };
    const parts = fastEncodeParts(packet, 5, 65_536)!;
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(packet.payload);
    expect(Buffer.concat(parts).equals(mqtt.generate(packet, { protocolVersion: 5 }))).toBe(true);
  });

  const publishWith = (props: object): Packet => publishPacket({ properties: props });

  it('[MQTT-3.3.4-6] a Subscription Identifier in a PUBLISH is refused by the codec', () => {
    expect(propertiesLength({ subscriptionIdentifier: 3 })).toBe(2); // known: SUBSCRIBE carries it
    expect(() => encodePacket(publishWith({ subscriptionIdentifier: 3 }), 5)).toThrow(
      /Subscription Identifier/,
    );
  });

  it.each([
    ['a value of the wrong type', { messageExpiryInterval: '60' }],
    ['a number out of range', { topicAlias: 0x1_0000 }],
    ['a string over 65,535 bytes', { contentType: 'x'.repeat(0x1_0000) }],
    ['a property only a server sends', { serverKeepAlive: 5 }],
    ['an empty user property object', { userProperties: {} }],
    ['a user property value that is not a string', { userProperties: { k: 5 } }],
  ] as const)('%s is left to mqtt-packet: the same bytes or the same refusal', (_n, props) => {
    expect(propertiesLength(props as Record<string, unknown>)).toBe(-1);
    const packet = publishWith(props);
    expect(fastEncodeParts(packet, 5, Infinity)).toBeUndefined();
    const reference = referenceEncoding(packet);
    if (reference) expect(encodePacket(packet, 5).toString('hex')).toBe(reference.toString('hex'));
    else expect(() => encodePacket(packet, 5)).toThrow();
  });

  it('[MQTT-3.3.2-18] user properties go out in the order they were added, also when names interleave', () => {
    const pair = fc.tuple(fc.constantFrom('a', 'b', 'c', '7', 'ü'), mqttString(4));
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 8 }), (pairs) => {
        const props = new QMqttPublishProperties();
        props.setUserProperties(new QMqttUserProperties(pairs));
        const packet: Packet = {
          cmd: 'publish',
          topic: 't',
          payload: Buffer.from('p'),
          qos: 0,
          dup: false,
          retain: false,
          properties: publishPropertiesToWire(props),
        };
        const bytes = encodePacket(packet, 5);
        const received: Packet[] = [];
        const decoder = new PacketDecoder(
          5,
          (p) => received.push(p),
          (e) => {
            throw e;
          },
        );
        decoder.push(bytes);
        expect(received).toHaveLength(1);
        const back = publishPropertiesFromWire((received[0] as { properties?: object }).properties);
        expect(back.userProperties().toArray()).toEqual(pairs);
      }),
      { numRuns: RUNS },
    );
  });
});

describe.each([3, 4] as const)('MQTT 3.1 / 3.1.1 client packets (level %i): the direct encoder', (level) => {
  const levelArbs = packetArbitraries(level, 'toServer');
  it.each(Object.keys(levelArbs))('%s: encoded without mqtt-packet, byte for byte what it writes', (name) => {
    fc.assert(
      fc.property(levelArbs[name]!, (packet) => {
        const parts = fastEncodeParts(packet, level, Infinity);
        expect(parts).toBeDefined();
        expect(Buffer.concat(parts!).toString('hex')).toBe(
          mqtt.generate(packet, { protocolVersion: level }).toString('hex'),
        );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('bad input to the encoder: a clear error or a valid packet, never anything else', () => {
  const anyValue = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -2, max: 0x1_0000_0001 }),
    fc.double(),
    fc.string({ maxLength: 5 }),
    fc.uint8Array({ maxLength: 4 }).map((a) => Buffer.from(a)),
    fc.array(fc.oneof(fc.integer({ min: -1, max: 300 }), fc.string({ maxLength: 3 })), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string({ maxLength: 3 }), fc.integer())),
  );
  const names = [
    'payloadFormatIndicator',
    'messageExpiryInterval',
    'contentType',
    'responseTopic',
    'correlationData',
    'subscriptionIdentifier',
    'sessionExpiryInterval',
    'authenticationMethod',
    'authenticationData',
    'requestProblemInformation',
    'willDelayInterval',
    'requestResponseInformation',
    'reasonString',
    'receiveMaximum',
    'topicAliasMaximum',
    'topicAlias',
    'userProperties',
    'maximumPacketSize',
    'serverKeepAlive',
    'toString',
  ];
  const props = fc.dictionary(fc.constantFrom(...names), anyValue, { maxKeys: 4 });
  const packet = fc.oneof(
    props.map((p) => publishPacket({ properties: p })),
    props.map((p) => ({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [{ topic: 'a', qos: 1 }],
      properties: p,
    })),
    props.map((p) => ({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['a'], properties: p })),
    props.map((p) => ({ cmd: 'puback', messageId: 1, reasonCode: 0x10, properties: p })),
    props.map((p) => ({ cmd: 'disconnect', reasonCode: 0, properties: p })),
    props.map((p) => ({
      cmd: 'connect',
      protocolVersion: 5,
      clientId: 'c',
      clean: true,
      keepalive: 0,
      properties: p,
    })),
  ) as fc.Arbitrary<Packet>;

  it('§2.2.2 any property values: encoded to bytes mqtt-packet reads back as one packet, or a QMqttProtocolError', () => {
    let refused = 0;
    let encoded = 0;
    fc.assert(
      fc.property(packet, (p) => {
        let bytes: Buffer;
        try {
          bytes = encodePacket(p, 5);
        } catch (e) {
          expect(e).toBeInstanceOf(QMqttProtocolError);
          refused++;
          return;
        }
        encoded++;
        const parser = mqtt.parser({ protocolVersion: 5 });
        const got: unknown[] = [];
        const errors: Error[] = [];
        parser.on('packet', (x) => got.push(x));
        parser.on('error', (e) => errors.push(e));
        expect(parser.parse(bytes)).toBe(0);
        expect(errors).toEqual([]);
        expect(got).toHaveLength(1);
      }),
      { numRuns: 1500 },
    );
    // both outcomes were exercised, so neither branch passes vacuously
    expect(refused).toBeGreaterThan(100);
    expect(encoded).toBeGreaterThan(100);
  });
});
