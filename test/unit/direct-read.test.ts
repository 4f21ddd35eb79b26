import { describe, expect, it } from 'vitest';
import { Framer } from '../../lib/packet/framer';
import { varIntBytes } from '../../lib/packet/size';
import { DIRECT_MIN, DirectReader, type ReadSink } from '../../lib/transport/direct-read';

/*
 * Reads straight into the buffer a large packet is assembled in (Node's `onread` option): the framer says where
 * the rest of a packet goes, the reader hands Node that buffer, and everything else is read into a scratch
 * buffer that is never handed out twice. These tests play Node's side of `onread` by hand.
 */

/** Node's side: asks for the buffer, copies `bytes` into it (as the kernel would), reports the read. */
function read(r: DirectReader, bytes: Buffer): Buffer {
  const buf = r.onread.buffer();
  const n = Math.min(bytes.length, buf.length);
  bytes.copy(buf, 0, 0, n);
  expect(r.onread.callback(n, buf)).toBe(true);
  return buf;
}

function recordingSink(target?: () => Buffer | undefined): ReadSink & { chunks: Buffer[]; fills: number[] } {
  const chunks: Buffer[] = [];
  const fills: number[] = [];
  return {
    chunks,
    fills,
    target: () => target?.(),
    filled: (n) => fills.push(n),
    chunk: (c) => chunks.push(c),
  };
}

describe('DirectReader (issue #7: no copy of large payloads on the way in)', () => {
  it('keeps what arrives before a sink is bound, and hands it over in order when bound', () => {
    const r = new DirectReader();
    read(r, Buffer.from('early-1'));
    read(r, Buffer.from('early-2'));
    const sink = recordingSink();
    r.bind(sink);
    expect(sink.chunks.map(String)).toEqual(['early-1', 'early-2']);
  });

  it('copies a small read out of the scratch buffer: a kept view is never overwritten by the next read', () => {
    const r = new DirectReader();
    const sink = recordingSink();
    r.bind(sink);
    const scratch = read(r, Buffer.from('first'));
    const again = read(r, Buffer.from('XXXXX-second'));
    expect(again).toBe(scratch); // the scratch buffer is reused for small reads …
    expect(sink.chunks.map(String)).toEqual(['first', 'XXXXX-second']); // … and what was handed out stays
    expect(sink.chunks[0]!.buffer).not.toBe(scratch.buffer);
  });

  it('hands a long read over as it is and reads the next one into a new scratch buffer', () => {
    const r = new DirectReader();
    const sink = recordingSink();
    r.bind(sink);
    const long = Buffer.alloc(40 * 1024, 7);
    const scratch = read(r, long);
    expect(sink.chunks[0]!.buffer).toBe(scratch.buffer); // no copy
    const next = read(r, Buffer.from('x'));
    expect(next).not.toBe(scratch);
    expect(sink.chunks[0]!.equals(long)).toBe(true);
  });

  it('reads into the buffer the sink names, counts those bytes and reports them as filled', () => {
    const body = Buffer.alloc(DIRECT_MIN * 2);
    const r = new DirectReader();
    const sink = recordingSink(() => body);
    r.bind(sink);
    const used = read(r, Buffer.alloc(1000, 1));
    expect(used).toBe(body);
    expect(sink.fills).toEqual([1000]);
    expect(sink.chunks).toEqual([]);
    expect(r.directBytes).toBe(1000);
    expect(body[999]).toBe(1);
  });

  it('drops what is read after it was unbound (the connection is closed)', () => {
    const r = new DirectReader();
    const sink = recordingSink();
    r.bind(sink);
    r.bind(undefined);
    read(r, Buffer.from('late'));
    expect(sink.chunks).toEqual([]);
  });
});

describe('Framer.target / filled [MQTT-2.1.4 Remaining Length]', () => {
  /** A PUBLISH (QoS 0, topic "t") with a payload of `size` bytes: fixed header + body. */
  function publish(size: number): { head: Buffer; body: Buffer } {
    const body = Buffer.alloc(3 + size, 0x5a);
    body.writeUInt16BE(1, 0);
    body[2] = 0x74;
    return { head: Buffer.from([0x30, ...varIntBytes(body.length)]), body };
  }

  it('names the rest of a packet being assembled when enough of it is missing, and frames it once filled', () => {
    const f = new Framer();
    const { head, body } = publish(200_000);
    const frames: Buffer[] = [];
    const frame = (_h: number, b: Buffer): boolean => frames.push(b) > 0;
    expect(f.target(1)).toBeUndefined(); // nothing being assembled
    expect(f.push(Buffer.concat([head, body.subarray(0, 100)]), frame)).toBeNull();
    expect(f.target(body.length)).toBeUndefined(); // less than asked for is missing
    const t = f.target(DIRECT_MIN)!;
    expect(t.length).toBe(body.length - 100);
    body.copy(t, 0, 100, 150_000);
    f.filled(150_000 - 100, frame);
    expect(frames).toHaveLength(0);
    const rest = f.target(DIRECT_MIN)!;
    expect(rest.length).toBe(body.length - 150_000);
    body.copy(rest, 0, 150_000);
    f.filled(rest.length, frame);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.equals(body)).toBe(true);
    expect(frames[0]!.buffer).toBe(t.buffer); // the packet is the buffer the reads went to
    expect(f.target(1)).toBeUndefined();
    // and the framer carries on with chunks as before
    const small = publish(5);
    expect(f.push(Buffer.concat([small.head, small.body]), frame)).toBeNull();
    expect(frames[1]!.equals(small.body)).toBe(true);
  });
});
