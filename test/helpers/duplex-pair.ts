import { Duplex } from 'node:stream';

/** Two connected in-memory Duplex ends: what one writes, the other reads (Node 20 lacks stream.duplexPair). */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        const p = peer();
        if (!p.destroyed) p.push(chunk);
        cb();
      },
      final(cb) {
        const p = peer();
        if (!p.destroyed) p.push(null);
        cb();
      },
      destroy(err, cb) {
        const p = peer();
        if (!p.destroyed) p.push(null);
        cb(err);
      },
    });
  const a = make(() => ends[1]!);
  const b = make(() => ends[0]!);
  ends.push(a, b);
  return [a, b];
}
