/**
 * Property: every packet a server may send is decoded without mqtt-packet at every level, MQTT 5 reason codes
 * and properties included (lib/packet/inbound.ts, property-decode.ts), into exactly the packet the server encoded
 * (§2.2.2 and each packet's variable header). codec-roundtrip.property.test.ts holds every packet
 * type to the same answer through the whole decoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFrame, fastDecode } from '../../lib/packet/inbound';
import { readVarint } from '../../lib/packet/property-scan';
import { LEVELS, packetArbitraries, serverEncode } from './arbitraries';

const RUNS = 150;

describe.each(LEVELS)('server → client, level %i: the direct decoder', (level) => {
  const arbs = packetArbitraries(level, 'toClient');
  it.each(Object.keys(arbs))(
    '%s: decoded without mqtt-packet, with the fields and properties the server encoded',
    (name) => {
      fc.assert(
        fc.property(arbs[name]!, (packet) => {
          const bytes = serverEncode(packet, level);
          const header = bytes[0]!;
          const [length, start] = readVarint(bytes, 1)!; // the Remaining Length (§2.1.4)
          expect(start + length).toBe(bytes.length);
          const body = bytes.subarray(start);
          expect(checkFrame(header, body, level)).toBeNull();
          const decoded = fastDecode(header, body, level) as unknown as Record<string, unknown>;
          expect(decoded).toBeDefined();
          for (const [k, v] of Object.entries(packet)) expect(decoded[k], k).toEqual(v);
          if (!('properties' in packet)) expect(decoded.properties).toBeUndefined();
        }),
        { numRuns: RUNS },
      );
    },
  );
});
