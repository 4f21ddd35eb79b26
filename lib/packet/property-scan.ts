/**
 * A strict reader of MQTT 5 property blocks (§2.2.2) over the raw bytes, used to check what mqtt-packet lets
 * through: unknown identifiers, properties not allowed on the packet type, duplicates of single-valued
 * properties [MQTT-2.2.2-2], byte values out of range, invalid UTF-8 or U+0000 in strings, lengths past the end.
 */
import { isUtf8 } from 'node:buffer';
import { PROPERTY_BY_ID, type PropertyDef } from './property-table';

/** A property a server may send (§2.2.2.2): the client-only ones are unknown in a packet from the server. */
function serverProperty(id: number): PropertyDef | undefined {
  const def = PROPERTY_BY_ID.get(id);
  return def && def.fromServer.size > 0 ? def : undefined;
}

/** Which scan last saw each identifier: no set per scan. */
const seenIn = new Uint32Array(256);
let scanGeneration = 0;

/** Reads a Variable Byte Integer at `pos`; returns [value, next position] or null when malformed. */
export function readVarint(buf: Buffer, pos: number): [number, number] | null {
  let value = 0;
  let mul = 1;
  for (let k = 0; k < 4; k++) {
    if (pos >= buf.length) return null;
    const b = buf[pos++]!;
    value += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [value, pos];
    mul *= 128;
  }
  return null;
}

/** Why a received UTF-8 string is not allowed (§1.5.4), or null. */
export function utf8Problem(bytes: Buffer, start = 0, end = bytes.length): string | null {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0) return 'a string contains U+0000 [MQTT-1.5.4-2]';
    if (b >= 0x80) {
      const text = bytes.subarray(start, end);
      if (!isUtf8(text)) return 'a string is not well-formed UTF-8 [MQTT-1.5.4-1]';
      // well-formed UTF-8 encodes U+0000 only as the byte 0, which may still follow
      return text.indexOf(0, i - start) >= 0 ? 'a string contains U+0000 [MQTT-1.5.4-2]' : null;
    }
  }
  return null;
}

/**
 * Checks the property block that starts at `pos` in `body` for packet type `cmd`. Returns the position after
 * the block, or an error message. `why` names the kind of problem for the caller's reason code.
 */
export function scanProperties(
  body: Buffer,
  pos: number,
  cmd: string,
): { end: number } | { error: string; protocolError: boolean } {
  const len = readVarint(body, pos);
  if (!len) return { error: 'malformed property length', protocolError: false };
  const [length, start] = len;
  const end = start + length;
  if (end > body.length)
    return { error: 'property length beyond the end of the packet', protocolError: false };
  scanGeneration = (scanGeneration + 1) >>> 0;
  if (scanGeneration === 0) {
    seenIn.fill(0); // after 2^32 scans: start again, so an old mark is never taken for this scan's
    scanGeneration = 1;
  }
  const mark = scanGeneration;
  let p = start;
  while (p < end) {
    const id = body[p++]!;
    const def = serverProperty(id);
    // §2.2.2.2: an identifier not valid for the packet type makes a Malformed Packet
    if (!def) return { error: `unknown property 0x${id.toString(16)}`, protocolError: false };
    if (!def.fromServer.has(cmd))
      return { error: `property ${def.name} is not allowed on ${cmd.toUpperCase()}`, protocolError: false };
    // "It is a Protocol Error to include … more than once"
    if (!def.multi && seenIn[id] === mark)
      return { error: `property ${def.name} appears twice [MQTT-2.2.2-2]`, protocolError: true };
    seenIn[id] = mark;
    const r = readValue(body, p, end, def);
    if (typeof r === 'string') return { error: r, protocolError: / is 0$| has the value /.test(r) };
    p = r;
  }
  return { end };
}

function readValue(body: Buffer, p: number, end: number, def: PropertyDef): number | string {
  const short = `property ${def.name} runs past the end of the properties`;
  switch (def.kind) {
    case 'flag':
    case 'u8': {
      // the one-byte properties a server sends are flags, and Maximum QoS, which is 0 or 1
      if (p + 1 > end) return short;
      const v = body[p]!;
      if (v > 1) return `property ${def.name} has the value ${v}`;
      return p + 1;
    }
    case 'u16': {
      if (p + 2 > end) return short;
      if (def.nonZero && body.readUInt16BE(p) === 0) return `property ${def.name} is 0`;
      return p + 2;
    }
    case 'u32': {
      if (p + 4 > end) return short;
      if (def.nonZero && body.readUInt32BE(p) === 0) return `property ${def.name} is 0`;
      return p + 4;
    }
    case 'varint': {
      const v = readVarint(body, p);
      if (!v || v[1] > end) return short;
      if (def.nonZero && v[0] === 0) return `property ${def.name} is 0`;
      return v[1];
    }
    case 'string':
    case 'binary': {
      if (p + 2 > end) return short;
      const n = body.readUInt16BE(p);
      if (p + 2 + n > end) return short;
      if (def.kind === 'string') {
        const problem = utf8Problem(body, p + 2, p + 2 + n);
        if (problem) return `property ${def.name}: ${problem}`;
        // [MQTT-3.3.2-14] a Response Topic is a topic name: no wildcards
        if (def.name === 'Response Topic') {
          const bytes = body.subarray(p + 2, p + 2 + n);
          if (bytes.includes(0x23) || bytes.includes(0x2b))
            return `property ${def.name} contains a wildcard [MQTT-3.3.2-14]`;
        }
      }
      return p + 2 + n;
    }
    case 'pair': {
      let q = p;
      for (let k = 0; k < 2; k++) {
        if (q + 2 > end) return short;
        const n = body.readUInt16BE(q);
        if (q + 2 + n > end) return short;
        const problem = utf8Problem(body, q + 2, q + 2 + n);
        if (problem) return `property ${def.name}: ${problem}`;
        q += 2 + n;
      }
      return q;
    }
  }
}

/**
 * Marks a decoded user-properties object with its pairs in wire order: mqtt-packet groups repeated names, the
 * protocol (and `QMqttUserProperties`) keeps the order [MQTT-3.3.2-18].
 */
export const ORDERED_USER_PROPERTIES = Symbol('qmqtt.orderedUserProperties');
