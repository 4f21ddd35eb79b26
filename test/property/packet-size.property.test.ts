/**
 * Property: the sizes the client checks against a server's Maximum Packet Size ([MQTT-3.2.2-15]) are the exact
 * encoded sizes, for every PUBLISH and SUBSCRIBE shape at every level (a bound would refuse packets that fit).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePacket, type PublishPacket, type SubscribePacket } from '../../lib/packet/codec';
import { publishPacketSize, subscribePacketSize } from '../../lib/packet/size';
import { LEVELS, packetArbitraries } from './arbitraries';

describe.each(LEVELS)('exact packet sizes, level %i', (level) => {
  const arb = packetArbitraries(level, 'toServer');

  it('[MQTT-3.2.2-15] publishPacketSize is the length of the encoded PUBLISH', () => {
    fc.assert(
      fc.property(arb.publish!, (p) => {
        const packet = p as PublishPacket;
        expect(publishPacketSize(packet, level === 5)).toBe(encodePacket(packet, level).length);
      }),
      { numRuns: 200 },
    );
  });

  it('[MQTT-3.2.2-15] subscribePacketSize is the length of the encoded SUBSCRIBE', () => {
    fc.assert(
      fc.property(arb.subscribe!, (p) => {
        const packet = p as SubscribePacket;
        expect(subscribePacketSize(packet, level === 5)).toBe(encodePacket(packet, level).length);
      }),
      { numRuns: 200 },
    );
  });

  it('[MQTT-3.2.2-15] sizes across the Remaining Length boundaries (127/128, 16383/16384 bytes)', () => {
    for (const n of [120, 121, 122, 123, 124, 125, 16_370, 16_375, 16_380])
      for (const qos of [0, 1] as const) {
        const packet = {
          cmd: 'publish',
          topic: 't',
          payload: Buffer.alloc(n),
          qos,
          dup: false,
          retain: false,
          ...(qos ? { messageId: 1 } : {}),
        } as PublishPacket;
        expect(publishPacketSize(packet, level === 5)).toBe(encodePacket(packet, level).length);
      }
  });
});
