/** Frames up to this size that span chunks are assembled in one buffer allocated when their header arrives. */
const PREALLOCATE_MAX = 16 * 1024 * 1024;

/**
 * Cuts the byte stream from the broker into whole MQTT packets (fixed header + Remaining Length, MQTT §2.1–2.2).
 * A packet that lies inside one chunk is a view into it. A packet that spans chunks is assembled once: its body
 * buffer is allocated when the header arrives (up to {@link PREALLOCATE_MAX}; a larger one is collected and
 * joined when complete, so a hostile length alone reserves no memory) and each chunk is copied in as it arrives.
 *
 * A Remaining Length longer than four bytes is malformed ([MQTT-1.5.5-1] / 3.1.1 §2.2.3).
 */
export class Framer {
  /** fixed-header bytes of a packet whose Remaining Length is not complete yet (at most 4) */
  private head: Buffer | undefined;
  /** the packet being assembled across chunks: fixed-header byte, body so far */
  private bodyHeader = 0;
  private body: Buffer | undefined;
  private bodyFill = 0;
  private bodyLength = 0;
  /** a body over PREALLOCATE_MAX: the chunks so far, joined when complete */
  private parts: Buffer[] | undefined;

  /**
   * Feeds bytes; calls `frame(header, body)` for each complete packet in order. Returns an error message for a
   * malformed Remaining Length (then the framer must not be used again), or null.
   */
  push(chunk: Buffer, frame: (header: number, body: Buffer) => boolean): string | null {
    let off = 0;
    if (this.body || this.parts) {
      off = this.fill(chunk);
      if (off < 0) return null;
      const header = this.bodyHeader;
      if (!frame(header, this.takeBody())) return null;
    } else if (this.head) {
      // the fixed header itself was cut: join its bytes with the start of this chunk (at most 5 more needed)
      const had = this.head.length;
      const joined = Buffer.concat([this.head, chunk.subarray(0, 5)]);
      this.head = undefined;
      const h = readRemainingLength(joined, 0);
      if (typeof h === 'string') return h;
      if (h < 0) {
        this.head = joined; // still incomplete: the chunk was shorter than the header
        return null;
      }
      const r = this.bodyAt(joined[0]!, remainingLength, chunk, h - had, frame);
      if (r === null) return null;
      off = r;
    }
    const n = chunk.length;
    while (off < n) {
      const h = readRemainingLength(chunk, off);
      if (typeof h === 'string') return h;
      if (h < 0) {
        this.head = Buffer.from(chunk.subarray(off)); // at most 4 bytes
        return null;
      }
      const r = this.bodyAt(chunk[off]!, remainingLength, chunk, h, frame);
      if (r === null) return null;
      off = r;
    }
    return null;
  }

  /**
   * Where the next bytes from the broker may be read to directly (no copy): the rest of the packet being
   * assembled, when at least `min` bytes of it are missing; otherwise undefined.
   */
  target(min: number): Buffer | undefined {
    const body = this.body;
    if (!body || body.length - this.bodyFill < min) return undefined;
    return body.subarray(this.bodyFill);
  }

  /** `n` bytes were read into the buffer {@link target} gave: hands the packet on once it is complete. */
  filled(n: number, frame: (header: number, body: Buffer) => boolean): void {
    this.bodyFill += n;
    if (this.bodyFill < this.body!.length) return;
    const header = this.bodyHeader;
    frame(header, this.takeBody());
  }

  /**
   * The body of a packet starts at `i` in `data`: hands it on when complete and returns the offset after it, or
   * starts assembling it (null; also null when the consumer stopped).
   */
  private bodyAt(
    header: number,
    length: number,
    data: Buffer,
    i: number,
    frame: (header: number, body: Buffer) => boolean,
  ): number | null {
    const end = i + length;
    if (end > data.length) {
      this.start(header, length, data.subarray(i));
      return null;
    }
    return frame(header, data.subarray(i, end)) ? end : null;
  }

  /** The header of a packet is complete, its body is not: start assembling it with `first`. */
  private start(header: number, length: number, first: Buffer): void {
    this.bodyHeader = header;
    if (length <= PREALLOCATE_MAX) {
      this.body = Buffer.allocUnsafe(length);
      this.bodyFill = first.copy(this.body, 0);
    } else {
      this.parts = [Buffer.from(first)];
      this.bodyFill = first.length;
      this.bodyLength = length;
    }
  }

  /** Adds the start of `chunk` to the packet being assembled: bytes used, or -1 when it is still incomplete. */
  private fill(chunk: Buffer): number {
    if (this.body) {
      const body = this.body;
      const take = Math.min(chunk.length, body.length - this.bodyFill);
      chunk.copy(body, this.bodyFill, 0, take);
      this.bodyFill += take;
      return this.bodyFill < body.length ? -1 : take;
    }
    const take = Math.min(chunk.length, this.bodyLength - this.bodyFill);
    this.parts!.push(Buffer.from(chunk.subarray(0, take)));
    this.bodyFill += take;
    return this.bodyFill < this.bodyLength ? -1 : take;
  }

  private takeBody(): Buffer {
    const body = this.body ?? Buffer.concat(this.parts!, this.bodyLength);
    this.body = undefined;
    this.parts = undefined;
    this.bodyFill = 0;
    return body;
  }
}

/** Remaining Length of {@link readRemainingLength}'s last complete answer (avoids an object per packet). */
let remainingLength = 0;

/**
 * Reads the Remaining Length of the fixed header at `off`: the offset of the body (the length is left in
 * `remainingLength`), -1 when the header is not complete yet, or an error message.
 */
function readRemainingLength(data: Buffer, off: number): number | string {
  const n = data.length;
  let length = 0;
  let multiplier = 1;
  let i = off + 1;
  for (let k = 0; k < 4 && i < n; k++) {
    const b = data[i++]!;
    length += (b & 0x7f) * multiplier;
    multiplier *= 128;
    if ((b & 0x80) === 0) {
      // [MQTT-1.5.5-1] the minimum number of bytes: a multi-byte length never ends in a 0 byte
      if (i - off > 2 && b === 0) return 'Remaining Length not in its shortest form [MQTT-1.5.5-1]';
      remainingLength = length;
      return i;
    }
    if (k === 3) return 'Remaining Length longer than four bytes [MQTT-1.5.5-1]';
  }
  return -1;
}
