/**
 * MQTT 5 property blocks of the packets a client sends, written directly (§2.2.2): mqtt-packet's `generate`
 * builds a stream object and a buffer per field, 10–25 times the cost of a PUBLISH without properties (a Topic
 * Alias alone put every PUBLISH there), and a 6 MB cache on its first call. The bytes are mqtt-packet's — same
 * property order (the object's key order), same encoding — except that user properties go out in the order they
 * were added when `ORDERED_USER_PROPERTIES` says so ([MQTT-3.3.2-18]), where mqtt-packet groups repeated names.
 * Anything this does not cover or that is not valid gives -1, and the caller falls back to mqtt-packet, which
 * encodes it or refuses it with its own message.
 */
import { ORDERED_USER_PROPERTIES } from './property-scan';
import { CLIENT_PROPERTY_BY_KEY, type PropertyKind } from './property-table';
import { varIntSize, writeField, writeVarInt } from './wire-write';

const USER_PROPERTY = CLIENT_PROPERTY_BY_KEY.get('userProperties')!.id;
const MAX_VARINT = 268_435_455; // §1.5.5

type Props = Record<string, unknown>;
type Pairs = Record<string, string | string[]>;

/** The bytes of the properties in `props` without the length in front, or -1 (fall back to mqtt-packet). */
export function propertiesLength(props: Props | undefined): number {
  if (props === undefined) return 0;
  let n = 0;
  for (const key in props) {
    const value = props[key];
    if (value === undefined) continue;
    const def = CLIENT_PROPERTY_BY_KEY.get(key);
    if (def === undefined) return -1;
    const size =
      Array.isArray(value) && def.kind !== 'pair' ? arraySize(def.kind, value) : valueSize(def.kind, value);
    if (size < 0) return -1;
    n += size;
  }
  return n;
}

/** Writes the Property Length and the properties measured by {@link propertiesLength}; returns the next offset. */
export function writeProperties(buf: Buffer, pos: number, props: Props | undefined, length: number): number {
  pos = writeVarInt(buf, pos, length);
  if (props === undefined) return pos;
  for (const key in props) {
    const value = props[key];
    if (value === undefined) continue;
    const { id, kind } = CLIENT_PROPERTY_BY_KEY.get(key)!;
    if (kind === 'pair') pos = writePairs(buf, pos, value as Pairs);
    else if (Array.isArray(value)) for (const v of value) pos = writeValue(buf, pos, id, kind, v);
    else pos = writeValue(buf, pos, id, kind, value);
  }
  return pos;
}

function arraySize(kind: PropertyKind, values: unknown[]): number {
  if (values.length === 0) return -1; // mqtt-packet refuses an empty list
  let n = 0;
  for (const v of values) {
    const size = valueSize(kind, v);
    if (size < 0) return -1;
    n += size;
  }
  return n;
}

/** One property's bytes, identifier included. */
function valueSize(kind: PropertyKind, v: unknown): number {
  switch (kind) {
    case 'flag':
      return typeof v === 'boolean' ? 2 : -1;
    case 'u8':
      return isUint(v, 0xff) ? 2 : -1;
    case 'u16':
      return isUint(v, 0xffff) ? 3 : -1;
    case 'u32':
      return isUint(v, 0xffff_ffff) ? 5 : -1;
    case 'varint':
      return isUint(v, MAX_VARINT) ? 1 + varIntSize(v as number) : -1;
    case 'string':
      return typeof v === 'string' ? stringSize(v, 1) : -1;
    case 'binary':
      return Buffer.isBuffer(v) && v.length <= 0xffff ? 3 + v.length : -1;
    case 'pair':
      return pairsSize(v);
  }
}

function pairsSize(v: unknown): number {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return -1;
  const pairs = v as Pairs;
  const ordered = orderedPairs(pairs);
  if (ordered) return orderedSize(ordered);
  let n = 0;
  for (const name of Object.getOwnPropertyNames(pairs)) {
    const nameSize = stringSize(name, 1);
    if (nameSize < 0) return -1;
    const values = pairs[name];
    if (Array.isArray(values)) {
      if (values.length === 0) return -1;
      for (const value of values) {
        const valueBytes = typeof value === 'string' ? stringSize(value, 0) : -1;
        if (valueBytes < 0) return -1;
        n += nameSize + valueBytes;
      }
    } else {
      const valueBytes = typeof values === 'string' ? stringSize(values, 0) : -1;
      if (valueBytes < 0) return -1;
      n += nameSize + valueBytes;
    }
  }
  return n > 0 ? n : -1; // mqtt-packet refuses an empty object
}

/** The pairs in the order they were added, when the grouped object carries them (`userPropertiesToWire`). */
function orderedPairs(pairs: Pairs): [string, string][] | undefined {
  return (pairs as { [ORDERED_USER_PROPERTIES]?: [string, string][] })[ORDERED_USER_PROPERTIES];
}

function orderedSize(ordered: [string, string][]): number {
  let n = 0;
  for (const pair of ordered) {
    const name = pair[0];
    const value = pair[1];
    if (typeof name !== 'string' || typeof value !== 'string') return -1;
    const nameSize = stringSize(name, 1);
    const valueSize = stringSize(value, 0);
    if (nameSize < 0 || valueSize < 0) return -1;
    n += nameSize + valueSize;
  }
  return n > 0 ? n : -1;
}

/** A UTF-8 string with its two-byte length (§1.5.4), plus `extra` bytes; -1 when over 65,535 bytes. */
function stringSize(s: string, extra: number): number {
  const n = s.length <= 64 && isAscii(s) ? s.length : Buffer.byteLength(s, 'utf8');
  return n <= 0xffff ? extra + 2 + n : -1;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isUint(v: unknown, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

function writeValue(
  buf: Buffer,
  pos: number,
  id: number,
  kind: Exclude<PropertyKind, 'pair'>,
  v: unknown,
): number {
  buf[pos++] = id;
  switch (kind) {
    case 'flag':
      buf[pos] = v ? 1 : 0;
      return pos + 1;
    case 'u8':
      buf[pos] = v as number;
      return pos + 1;
    case 'u16':
      return buf.writeUInt16BE(v as number, pos);
    case 'u32':
      return buf.writeUInt32BE(v as number, pos);
    case 'varint':
      return writeVarInt(buf, pos, v as number);
    case 'string':
    case 'binary':
      return writeField(buf, pos, v as string | Buffer);
  }
}

/** User properties: in the order they were added when known, else mqtt-packet's (name by name). */
function writePairs(buf: Buffer, pos: number, pairs: Pairs): number {
  const ordered = orderedPairs(pairs);
  if (ordered) {
    for (const [name, value] of ordered) pos = writePair(buf, pos, name, value);
    return pos;
  }
  for (const name of Object.getOwnPropertyNames(pairs)) {
    const values = pairs[name]!;
    if (Array.isArray(values)) for (const value of values) pos = writePair(buf, pos, name, value);
    else pos = writePair(buf, pos, name, values);
  }
  return pos;
}

function writePair(buf: Buffer, pos: number, name: string, value: string): number {
  buf[pos++] = USER_PROPERTY;
  return writeField(buf, writeField(buf, pos, name), value);
}

/** Below MQTT 5 a packet has no properties: a property that is set is mqtt-packet's to judge. */
export function noProperties(props: object | undefined): boolean {
  if (props === undefined) return true;
  for (const key in props) if ((props as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}
