/**
 * Cuts the byte stream from the broker into whole MQTT packets (fixed header + Remaining Length, MQTT §2.1–2.2)
 * without copying: each frame is a view into the received chunk, or into one concatenation when a packet
 * spans chunks. A Remaining Length longer than four bytes is malformed ([MQTT-1.5.5-1] / 3.1.1 §2.2.3).
 */
export class Framer {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** bytes needed before the pending data can hold a complete frame (a lower bound) */
  private need = 0;

  /**
   * Feeds bytes; calls `frame(header, body)` for each complete packet in order. Returns an error message for a
   * malformed Remaining Length (then the framer must not be used again), or null.
   */
  push(chunk: Buffer, frame: (header: number, body: Buffer) => boolean): string | null {
    let data = chunk;
    if (this.pendingLength > 0) {
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      if (this.pendingLength < this.need) return null;
      data = Buffer.concat(this.pending, this.pendingLength);
      this.pending = [];
      this.pendingLength = 0;
    }
    let off = 0;
    const n = data.length;
    while (off < n) {
      if (n - off < 2) {
        this.keep(data, off, 2);
        return null;
      }
      let length = 0;
      let multiplier = 1;
      let i = off + 1;
      let complete = false;
      for (let k = 0; k < 4 && i < n; k++) {
        const b = data[i++]!;
        length += (b & 0x7f) * multiplier;
        multiplier *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
        if (k === 3) return 'Remaining Length longer than four bytes [MQTT-1.5.5-1]';
      }
      if (!complete) {
        this.keep(data, off, i - off + 1);
        return null;
      }
      // [MQTT-1.5.5-1] the minimum number of bytes: a multi-byte length never ends in a 0 byte
      if (i - off > 2 && data[i - 1] === 0) return 'Remaining Length not in its shortest form [MQTT-1.5.5-1]';
      const end = i + length;
      if (end > n) {
        this.keep(data, off, end - off);
        return null;
      }
      if (!frame(data[off]!, data.subarray(i, end))) return null;
      off = end;
    }
    return null;
  }

  private keep(data: Buffer, off: number, need: number): void {
    this.pending = [data.subarray(off)];
    this.pendingLength = data.length - off;
    this.need = need;
  }
}
