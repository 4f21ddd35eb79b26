/**
 * MQTT 5 property blocks from the server, read directly into the objects mqtt-packet's parser makes (§2.2.2):
 * its parser builds a stream-backed parser per packet, 10–30 times the cost of a PUBLISH without properties (a
 * subscriber that receives Topic Aliases or user properties paid it for every message). Only blocks that
 * `checkFrame` has validated come here (known identifiers allowed on the packet, lengths inside the block, valid
 * UTF-8), so this reads without checking again.
 *
 * Shapes, as mqtt-packet's: one-byte flags are booleans (Maximum QoS a number), a property that appears more than
 * once (Subscription Identifier) becomes an array, user properties an object without prototype, `{ name: value |
 * [values] }`, carrying the pairs in wire order under `ORDERED_USER_PROPERTIES` [MQTT-3.3.2-18] (and keeping a
 * pair whose repeated name had an empty first value, which mqtt-packet drops [MQTT-3.3.2-17]).
 */
import { ORDERED_USER_PROPERTIES, readVarint } from './property-scan';
import { PROPERTY_BY_ID } from './property-table';

type Pairs = Record<string, string | string[]>;

/**
 * The validated property block at `pos` in `body`: its properties (undefined when the block is empty, as
 * mqtt-packet leaves them out) and the position after it.
 */
export function decodeProperties(
  body: Buffer,
  pos: number,
): { properties: Record<string, unknown> | undefined; end: number } {
  const [length, start] = readVarint(body, pos)!;
  const end = start + length;
  if (length === 0) return { properties: undefined, end };
  const out: Record<string, unknown> = {};
  let ordered: [string, string][] | undefined;
  let p = start;
  while (p < end) {
    const def = PROPERTY_BY_ID.get(body[p++]!)!;
    const name = def.key;
    let value: unknown;
    switch (def.kind) {
      case 'flag':
        value = body[p++] !== 0;
        break;
      case 'u8':
        value = body[p++];
        break;
      case 'u16':
        value = body.readUInt16BE(p);
        p += 2;
        break;
      case 'u32':
        value = body.readUInt32BE(p);
        p += 4;
        break;
      case 'varint': {
        const v = readVarint(body, p)!;
        value = v[0];
        p = v[1];
        break;
      }
      case 'string': {
        const n = body.readUInt16BE(p);
        value = body.toString('utf8', p + 2, p + 2 + n);
        p += 2 + n;
        break;
      }
      case 'binary': {
        const n = body.readUInt16BE(p);
        value = Buffer.from(body.subarray(p + 2, p + 2 + n)); // a copy: the read buffer is not kept alive
        p += 2 + n;
        break;
      }
      case 'pair': {
        const n1 = body.readUInt16BE(p);
        const key = body.toString('utf8', p + 2, p + 2 + n1);
        p += 2 + n1;
        const n2 = body.readUInt16BE(p);
        const val = body.toString('utf8', p + 2, p + 2 + n2);
        p += 2 + n2;
        const pairs = (out.userProperties ??= Object.create(null)) as Pairs;
        const had = pairs[key];
        if (had === undefined) pairs[key] = val;
        else if (Array.isArray(had)) had.push(val);
        else pairs[key] = [had, val];
        (ordered ??= []).push([key, val]);
        continue;
      }
    }
    const had = out[name];
    if (had === undefined) out[name] = value;
    else if (Array.isArray(had)) had.push(value);
    else out[name] = [had, value];
  }
  if (ordered) Object.defineProperty(out.userProperties, ORDERED_USER_PROPERTIES, { value: ordered });
  return { properties: out, end };
}
