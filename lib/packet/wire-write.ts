/** The primitive writers of the client's own encoder (§1.5 data representation, §2.1 fixed header). */

/** A Variable Byte Integer (§1.5.5); returns the next offset. */
export function writeVarInt(buf: Buffer, pos: number, n: number): number {
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    buf[pos++] = b;
  } while (n > 0);
  return pos;
}

/** The bytes of a Variable Byte Integer holding `n` (§1.5.5). */
export function varIntSize(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

/** The largest Remaining Length (§2.1.4). */
export const MAX_REMAINING = 268_435_455;

/**
 * A buffer for a packet of `remaining` bytes after its fixed header, less `omit` bytes sent as a separate part,
 * with the fixed header written: the first byte and the Remaining Length (§2.1.4).
 */
export function fixedHeader(first: number, remaining: number, omit: number): Buffer {
  const buf = Buffer.allocUnsafe(1 + varIntSize(remaining) + remaining - omit);
  buf[0] = first;
  writeVarInt(buf, 1, remaining);
  return buf;
}

/** A string or binary field's bytes with its two-byte length (§1.5.4, §1.5.6); -1 when over 65,535. */
export function fieldSize(v: string | Buffer): number {
  const n = typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length;
  return n <= 0xffff ? 2 + n : -1;
}

/** Writes a string or binary field with its two-byte length; returns the next offset. */
export function writeField(buf: Buffer, pos: number, v: string | Buffer): number {
  const len = typeof v === 'string' ? buf.write(v, pos + 2, 'utf8') : v.copy(buf, pos + 2);
  buf.writeUInt16BE(len, pos);
  return pos + 2 + len;
}
