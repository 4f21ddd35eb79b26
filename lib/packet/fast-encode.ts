import type { Packet } from './codec';
import { propertiesLength, writeProperties, writeVarInt } from './property-encode';
import { varIntSize } from './size';

/**
 * Encodes the hot-path packets directly (perf-anchor F8: mqtt-packet's `generate` builds a stream object per
 * packet): PUBLISH (MQTT 5: with its properties), the two-byte acknowledgements, SUBSCRIBE / UNSUBSCRIBE (MQTT 5:
 * with subscription options and properties), CONNECT and DISCONNECT without properties, as parts; a payload of
 * `splitAt` bytes or more is its own part instead of being copied behind the header (a 1 MiB publish is written
 * without a copy).
 * Returns undefined for every other packet, which mqtt-packet encodes. The golden-bytes tests cover both paths.
 */
export function fastEncodeParts(
  packet: Packet,
  protocolVersion: number,
  splitAt: number,
): Buffer[] | undefined {
  switch (packet.cmd) {
    case 'publish': {
      const props = packet.properties as Record<string, unknown> | undefined;
      const v5 = protocolVersion === 5;
      const propLength = v5 ? propertiesLength(props) : props && Object.keys(props).length > 0 ? -1 : 0;
      if (propLength < 0) return undefined;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const topic = topicBytes(packet.topic);
      const topicLength = topic.length;
      if (topicLength > 0xffff) return undefined; // let the checked path refuse it
      const propBlock = v5 ? varIntSize(propLength) + propLength : 0;
      const remaining = 2 + topicLength + (packet.qos > 0 ? 2 : 0) + propBlock + payload.length;
      if (remaining > 268_435_455) return undefined;
      const split = payload.length >= splitAt;
      const first = 0x30 | (packet.dup ? 0x08 : 0) | (packet.qos << 1) | (packet.retain ? 0x01 : 0);
      const buf = fixedHeader(first, remaining, split ? payload.length : 0);
      let pos = buf.length - remaining + (split ? payload.length : 0);
      buf.writeUInt16BE(topicLength, pos);
      pos += 2;
      if (topicLength <= 64) for (let i = 0; i < topicLength; i++) buf[pos++] = topic[i]!;
      else pos += topic.copy(buf, pos);
      if (packet.qos > 0) {
        buf.writeUInt16BE(packet.messageId ?? 0, pos);
        pos += 2;
      }
      if (v5) pos = writeProperties(buf, pos, props, propLength);
      if (split) return [buf, payload];
      payload.copy(buf, pos);
      return [buf];
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': {
      if (protocolVersion === 5 && (packet.reasonCode || packet.properties)) return undefined;
      const type =
        packet.cmd === 'puback'
          ? 0x40
          : packet.cmd === 'pubrec'
            ? 0x50
            : packet.cmd === 'pubrel'
              ? 0x62
              : 0x70;
      const id = packet.messageId ?? 0;
      const buf = Buffer.allocUnsafe(4);
      buf[0] = type;
      buf[1] = 2;
      buf[2] = id >> 8;
      buf[3] = id & 0xff;
      return [buf];
    }
    case 'pingreq':
      return [Buffer.from([0xc0, 0])];
    case 'subscribe':
    case 'unsubscribe':
      return encodeSubscription(packet, protocolVersion);
    case 'connect':
      return encodeConnect(packet);
    case 'disconnect': {
      if (!noProperties(packet.properties)) return undefined;
      if (protocolVersion !== 5) return [Buffer.from([0xe0, 0])];
      return [Buffer.from([0xe0, 2, packet.reasonCode ?? 0, 0])];
    }
    default:
      return undefined;
  }
}

function noProperties(props: object | undefined): boolean {
  if (props === undefined) return true;
  for (const key in props) if ((props as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

/** A string or a buffer as MQTT's two-byte length and bytes (§1.5.4, §1.5.6). */
function twoByteLength(v: string | Buffer): number {
  return 2 + (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length);
}

function putField(buf: Buffer, pos: number, v: string | Buffer): number {
  const len = typeof v === 'string' ? buf.write(v, pos + 2, 'utf8') : v.copy(buf, pos + 2);
  buf.writeUInt16BE(len, pos);
  return pos + 2 + len;
}

/**
 * CONNECT without properties (the usual 3.1 / 3.1.1 CONNECT, a 5.0 one with none set) with the bytes mqtt-packet
 * writes. This keeps mqtt-packet's `generate` off the normal path, and with it the cache of 65,536 two-byte
 * buffers it builds on its first call (6 MB of heap in every process). Anything it would refuse or that this
 * does not cover (a missing client id, a password without a user name, properties, …): undefined.
 */
function encodeConnect(packet: Extract<Packet, { cmd: 'connect' }>): Buffer[] | undefined {
  const version = packet.protocolVersion ?? 4;
  if (version !== 3 && version !== 4 && version !== 5) return undefined;
  if ((packet as { bridgeMode?: boolean }).bridgeMode) return undefined;
  const protocolId: unknown = packet.protocolId || 'MQTT';
  const clean = packet.clean ?? true;
  const keepalive = packet.keepalive ?? 0;
  const { clientId, username, password, will } = packet;
  if (typeof protocolId !== 'string') return undefined;
  if (typeof clientId !== 'string' || (clientId === '' && (version === 3 || !clean))) return undefined;
  if (!Number.isInteger(keepalive) || keepalive < 0 || keepalive > 0xffff) return undefined;
  if (!noProperties(packet.properties)) return undefined;
  if (username !== undefined && typeof username !== 'string') return undefined;
  if (password !== undefined && (username === undefined || !Buffer.isBuffer(password))) return undefined;
  if (will) {
    if (typeof will.topic !== 'string' || will.topic === '' || !Buffer.isBuffer(will.payload))
      return undefined;
    if (!noProperties(will.properties)) return undefined;
  }
  const v5 = version === 5;
  let remaining = twoByteLength(protocolId) + 1 + 1 + 2 + (v5 ? 1 : 0) + twoByteLength(clientId);
  if (will) remaining += (v5 ? 1 : 0) + twoByteLength(will.topic) + twoByteLength(will.payload);
  if (username !== undefined) remaining += twoByteLength(username);
  if (password !== undefined) remaining += twoByteLength(password);
  if (remaining > 268_435_455) return undefined;
  const buf = fixedHeader(0x10, remaining, 0);
  let pos = buf.length - remaining;
  pos = putField(buf, pos, protocolId);
  buf[pos++] = version;
  // §3.1.2.3 Connect Flags
  buf[pos++] =
    (username !== undefined ? 0x80 : 0) |
    (password !== undefined ? 0x40 : 0) |
    (will?.retain ? 0x20 : 0) |
    ((will?.qos ?? 0) << 3) |
    (will ? 0x04 : 0) |
    (clean ? 0x02 : 0);
  buf.writeUInt16BE(keepalive, pos);
  pos += 2;
  if (v5) buf[pos++] = 0;
  pos = putField(buf, pos, clientId);
  if (will) {
    if (v5) buf[pos++] = 0;
    pos = putField(buf, pos, will.topic);
    pos = putField(buf, pos, will.payload);
  }
  if (username !== undefined) pos = putField(buf, pos, username);
  if (password !== undefined) putField(buf, pos, password);
  return [buf];
}

/**
 * SUBSCRIBE / UNSUBSCRIBE: one buffer, no stream object (a client restoring 10,000 subscriptions sends them in a
 * few packets of up to 1,000 filters). MQTT 5 adds the property block and each filter's options byte (§3.8.3.1:
 * QoS, No Local, Retain As Published, Retain Handling). Anything else: undefined (mqtt-packet).
 */
function encodeSubscription(
  packet: Extract<Packet, { cmd: 'subscribe' | 'unsubscribe' }>,
  protocolVersion: number,
): Buffer[] | undefined {
  const props = packet.properties as Record<string, unknown> | undefined;
  const v5 = protocolVersion === 5;
  if ((packet as { dup?: boolean }).dup) return undefined;
  const propLength = v5 ? propertiesLength(props) : props && Object.keys(props).length > 0 ? -1 : 0;
  if (propLength < 0) return undefined;
  const sub = packet.cmd === 'subscribe';
  // indexed loops and no intermediate arrays: nothing but the buffer is allocated per packet
  const entries = sub ? packet.subscriptions : undefined;
  const names = sub ? undefined : packet.unsubscriptions;
  const count = entries ? entries.length : names!.length;
  if (count === 0) return undefined;
  let remaining = 2 + (v5 ? varIntSize(propLength) + propLength : 0);
  for (let i = 0; i < count; i++) {
    let t: unknown;
    if (entries) {
      const e = entries[i]!;
      if (e.qos !== 0 && e.qos !== 1 && e.qos !== 2) return undefined;
      if (subscriptionOptions(e, v5) < 0) return undefined;
      t = e.topic;
    } else t = names![i];
    if (typeof t !== 'string') return undefined;
    const n = Buffer.byteLength(t, 'utf8');
    if (n > 0xffff) return undefined; // let the checked path refuse it
    remaining += 2 + n + (sub ? 1 : 0);
  }
  if (remaining > 268_435_455) return undefined;
  const buf = fixedHeader(sub ? 0x82 : 0xa2, remaining, 0); // [MQTT-3.8.1-1] [MQTT-3.10.1-1] flags 0010
  let pos = buf.length - remaining;
  buf.writeUInt16BE(packet.messageId ?? 0, pos);
  pos += 2;
  if (v5) pos = writeProperties(buf, pos, props, propLength);
  for (let i = 0; i < count; i++) {
    const at = pos;
    pos += 2;
    const len = buf.write(entries ? entries[i]!.topic : names![i]!, pos, 'utf8');
    buf.writeUInt16BE(len, at);
    pos += len;
    if (entries) buf[pos++] = subscriptionOptions(entries[i]!, v5);
  }
  return [buf];
}

/**
 * A filter's options byte: QoS, and under MQTT 5 No Local (bit 2), Retain As Published (bit 3), Retain Handling
 * (bits 4–5) (§3.8.3.1). -1 for what mqtt-packet would refuse, or options below MQTT 5 (mqtt-packet decides).
 */
function subscriptionOptions(
  e: { qos: number; nl?: boolean; rap?: boolean; rh?: number },
  v5: boolean,
): number {
  const { nl, rap, rh } = e;
  if (!v5) return nl !== undefined || rap !== undefined || rh !== undefined ? -1 : e.qos;
  if ((nl !== undefined && typeof nl !== 'boolean') || (rap !== undefined && typeof rap !== 'boolean'))
    return -1;
  if (rh !== undefined && rh !== 0 && rh !== 1 && rh !== 2) return -1;
  return e.qos | (nl ? 0x04 : 0) | (rap ? 0x08 : 0) | ((rh ?? 0) << 4);
}

/**
 * A buffer for a packet of `remaining` bytes after its fixed header, less `omit` bytes sent as a separate part,
 * with the fixed header written: the first byte and the Remaining Length (§2.1.4).
 */
function fixedHeader(first: number, remaining: number, omit: number): Buffer {
  const buf = Buffer.allocUnsafe(1 + varIntSize(remaining) + remaining - omit);
  buf[0] = first;
  writeVarInt(buf, 1, remaining);
  return buf;
}

/** The last topic encoded, as UTF-8: a publisher mostly sends to the same few topics again. */
let lastTopic = '';
let lastTopicBytes = Buffer.alloc(0);

function topicBytes(topic: string): Buffer {
  if (topic !== lastTopic) {
    lastTopicBytes = Buffer.from(topic, 'utf8');
    lastTopic = topic;
  }
  return lastTopicBytes;
}
