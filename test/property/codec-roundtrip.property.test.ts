/**
 * Property: for every packet type and every property shape the specification allows, at protocol levels 3, 4
 * and 5, the codec (lib/packet/codec.ts) is exact in both directions:
 *  - client → server: `encodePacket(p)` is read back as `p` by a reference decoder (mqtt-packet's parser, as a
 *    broker would use it), and the encoding is canonical;
 *  - server → client: what a reference broker encodes (mqtt-packet's generator) `PacketDecoder` reads back as `p`,
 *    also when the bytes arrive cut into arbitrary pieces (a receiver must not depend on read boundaries).
 */
import fc from 'fast-check';
import * as mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { encodePacket, PacketDecoder, type Packet } from '../../lib/packet/codec';
import type { QMqttProtocolError } from '../../lib/errors';
import { anyPacket, LEVELS, packetArbitraries, serverEncode, type Level, cut } from './arbitraries';

const RUNS = 60;

interface Decoded {
  packets: Packet[];
  errors: QMqttProtocolError[];
}

/** The client's decoder (server → client). */
function decodeChunks(level: Level, chunks: Buffer[]): Decoded {
  const out: Decoded = { packets: [], errors: [] };
  const d = new PacketDecoder(
    level,
    (p) => out.packets.push(p),
    (e) => out.errors.push(e),
  );
  for (const c of chunks) d.push(c);
  return out;
}

/** A broker's view of what the client sent: mqtt-packet's parser. */
function brokerDecode(level: Level, bytes: Buffer): { packets: Packet[]; errors: Error[] } {
  const out: { packets: Packet[]; errors: Error[] } = { packets: [], errors: [] };
  const parser = mqtt.parser({ protocolVersion: level });
  parser.on('packet', (p: Packet) => out.packets.push(p));
  parser.on('error', (e: Error) => out.errors.push(e));
  parser.parse(bytes);
  return out;
}

/** The fields the test generated, read back from the decoded packet (decoders add `length` etc.). */
function sameFields(decoded: Packet, generated: Packet): Record<string, unknown> {
  const d = decoded as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(generated)) out[k] = d[k];
  // a property set the generator did not ask for must not appear either
  if (!('properties' in generated) && d.properties !== undefined) out.properties = d.properties;
  return out;
}

describe.each(LEVELS)('client → server: encodePacket, level %i', (level) => {
  const arbs = packetArbitraries(level, 'toServer');
  it.each(Object.keys(arbs))(
    '%s: a broker decodes exactly what was encoded; the encoding is canonical',
    (name) => {
      fc.assert(
        fc.property(arbs[name]!, (packet) => {
          const bytes = encodePacket(packet, level);
          const { packets, errors } = brokerDecode(level, bytes);
          expect(errors.map((e) => e.message)).toEqual([]);
          expect(packets).toHaveLength(1);
          expect(sameFields(packets[0]!, packet)).toEqual(packet);
          expect(encodePacket(packets[0]!, level).toString('hex')).toBe(bytes.toString('hex'));
        }),
        { numRuns: RUNS },
      );
    },
  );
});

describe.each(LEVELS)('server → client: PacketDecoder, level %i', (level) => {
  const arbs = packetArbitraries(level, 'toClient');
  it.each(Object.keys(arbs))('%s: decoded exactly as a broker encoded it', (name) => {
    fc.assert(
      fc.property(arbs[name]!, (packet) => {
        const bytes = serverEncode(packet, level);
        const { packets, errors } = decodeChunks(level, [bytes]);
        expect(errors.map((e) => e.message)).toEqual([]);
        expect(packets).toHaveLength(1);
        expect(sameFields(packets[0]!, packet)).toEqual(packet);
        expect(serverEncode(packets[0]!, level).toString('hex')).toBe(bytes.toString('hex'));
      }),
      { numRuns: RUNS },
    );
  });

  it('a stream of packets cut at arbitrary points decodes to the same packets as in one piece', () => {
    fc.assert(
      fc.property(
        fc.array(anyPacket(level, 'toClient'), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (list, points) => {
          const bytes = Buffer.concat(list.map((p) => serverEncode(p, level)));
          const whole = decodeChunks(level, [bytes]);
          const pieces = decodeChunks(level, cut(bytes, points));
          expect(whole.errors.map((e) => e.message)).toEqual([]);
          expect(pieces.errors.map((e) => e.message)).toEqual([]);
          expect(pieces.packets.map((p) => p.cmd)).toEqual(list.map((p) => p.cmd));
          expect(pieces.packets).toEqual(whole.packets);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('codec round trip: shapes mqtt-packet alone gets wrong', () => {
  // mqtt-packet's parser tests `if (result.userProperties[name])`, so when the first value of a repeated name is
  // the empty string the next pair overwrites it: `x="", x="a"` decodes as `x="a"`. MQTT 5.0 §3.3.2.3.7 /
  // [MQTT-3.3.2-17] [MQTT-3.3.2-18]: every User Property pair is kept, in order; the client reads them itself from the
  // raw bytes (lib/packet/property-decode.ts).
  it('[MQTT-3.3.2-17] a repeated User Property name whose first value is empty keeps every pair', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 3 }), (rest) => {
        const values = ['', ...rest];
        const packet = {
          cmd: 'puback',
          messageId: 1,
          reasonCode: 0,
          properties: { userProperties: { x: values } },
        } as Packet;
        const { packets, errors } = decodeChunks(5, [serverEncode(packet, 5)]);
        expect(errors).toEqual([]);
        const decoded = packets[0] as { properties?: { userProperties?: unknown } } | undefined;
        expect(decoded?.properties?.userProperties).toEqual({ x: values });
      }),
      { numRuns: 20 },
    );
  });

  // mqtt-packet refuses `clientId must be given if cleanSession set to 0` at every level, but only 3.1.1
  // [MQTT-3.1.3-7] has that rule; MQTT 5.0 §3.1.3.1 lets a client with Clean Start 0 send a zero-length Client
  // Identifier (the server assigns one): lib/packet/encode-connect.ts encodes it. See also legal-output.test.ts.
  it('5.0 §3.1.3.1 a zero-length Client Identifier with Clean Start 0 is encoded', () => {
    const packet = {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: '',
      clean: false,
      keepalive: 0,
    } as Packet;
    const { packets } = brokerDecode(5, encodePacket(packet, 5));
    expect(sameFields(packets[0]!, packet)).toEqual(packet);
  });
});
