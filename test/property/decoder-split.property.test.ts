/**
 * Property: valid server packets decode to the same packets wherever the byte stream was cut, byte by byte
 * included (a receiver must not depend on read boundaries, cf. 5.0 [MQTT-6.0.0-2]). A packet that spans reads is
 * assembled in a buffer of its own length as the reads arrive; a 1 MiB PUBLISH over many reads comes out whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketDecoder, type Packet } from '../../lib/packet/codec';
import { LEVELS, serverEncode, serverPacket, type Level, cut } from './arbitraries';

function decode(level: Level, chunks: Buffer[]): Packet[] {
  const out: Packet[] = [];
  const d = new PacketDecoder(
    level,
    (p) => out.push(p),
    (e) => {
      throw e;
    },
  );
  for (const c of chunks) d.push(c);
  return out;
}

const shape = (packets: Packet[]) => JSON.parse(JSON.stringify(packets)) as unknown;

describe.each(LEVELS)('packets cut across reads, level %i', (level) => {
  it('decode to the same packets as the whole bytes, wherever cut', () => {
    fc.assert(
      fc.property(
        fc.array(serverPacket(level), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (packets, points) => {
          const bytes = Buffer.concat(packets.map((p) => serverEncode(p, level)));
          const whole = shape(decode(level, [bytes]));
          expect(shape(decode(level, cut(bytes, points)))).toEqual(whole);
          expect(
            shape(
              decode(
                level,
                [...bytes].map((b) => Buffer.from([b])),
              ),
            ),
          ).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('a large PUBLISH across many reads', () => {
  it.each([3, 4, 5] as const)('level %i: assembled whole, with the packets around it', (level) => {
    const payload = Buffer.alloc(1 << 20);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const big = serverEncode(
      { cmd: 'publish', topic: 'a/b', payload, qos: 1, messageId: 7, dup: false, retain: false },
      level,
    );
    const ack = serverEncode({ cmd: 'puback', messageId: 3 }, level);
    const bytes = Buffer.concat([ack, big, ack, big]);
    for (const size of [1000, 4096, 65536]) {
      const chunks: Buffer[] = [];
      for (let off = 0; off < bytes.length; off += size)
        chunks.push(Buffer.from(bytes.subarray(off, off + size)));
      const got = decode(level, chunks);
      for (const c of chunks) c.fill(0xee); // the reads' buffers may be reused: the payloads are copies
      expect(got.map((p) => p.cmd)).toEqual(['puback', 'publish', 'puback', 'publish']);
      for (const p of [got[1], got[3]]) expect((p as { payload: Buffer }).payload.equals(payload)).toBe(true);
    }
  });
});
