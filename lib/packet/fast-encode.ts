import type { Packet } from './codec';
import { encodeConnect } from './encode-connect';
import { noProperties, propertiesLength, writeProperties } from './property-encode';
import { fixedHeader, MAX_REMAINING, varIntSize } from './wire-write';

/**
 * Encodes the hot-path packets directly (perf-anchor F8: mqtt-packet's `generate` builds a stream object per
 * packet): every packet a client sends, MQTT 5 properties included, as parts; a payload of `splitAt` bytes or more
 * is its own part instead of being copied behind the header (a 1 MiB publish is written without a copy).
 * Returns undefined for what it does not cover or what is not valid (a field over 65,535 bytes, a value of the
 * wrong type, …): mqtt-packet then encodes it or refuses it. The golden-bytes and property tests compare both.
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
      if (remaining > MAX_REMAINING) return undefined;
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
      const type =
        packet.cmd === 'puback'
          ? 0x40
          : packet.cmd === 'pubrec'
            ? 0x50
            : packet.cmd === 'pubrel'
              ? 0x62
              : 0x70;
      if (protocolVersion === 5 && (packet.reasonCode || packet.properties))
        return withReason(type, packet.messageId ?? 0, packet.reasonCode, packet.properties);
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
    case 'disconnect':
      if (protocolVersion !== 5)
        return noProperties(packet.properties) ? [Buffer.from([0xe0, 0])] : undefined;
      return withReason(0xe0, -1, packet.reasonCode, packet.properties ?? {});
    case 'auth':
      return protocolVersion === 5
        ? withReason(0xf0, -1, packet.reasonCode, packet.properties ?? {})
        : undefined;
    default:
      return undefined;
  }
}

/**
 * An MQTT 5 packet made of an optional packet identifier (`id` < 0: none), a Reason Code and a property block:
 * PUBACK, PUBREC, PUBREL, PUBCOMP (§3.4.2), DISCONNECT (§3.14.2), AUTH (§3.15.2). As mqtt-packet writes them: an
 * acknowledgement without properties carries the code and an empty property block, one with a properties object
 * (even empty) carries both; DISCONNECT and AUTH always carry both. A missing code is 0x00 (Success).
 */
function withReason(
  first: number,
  id: number,
  reasonCode: unknown,
  props: object | undefined,
): Buffer[] | undefined {
  const code = reasonCode ?? 0;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 0xff) return undefined;
  const propLength = propertiesLength(props as Record<string, unknown> | undefined);
  if (propLength < 0) return undefined;
  const remaining = (id >= 0 ? 2 : 0) + 1 + varIntSize(propLength) + propLength;
  if (remaining > MAX_REMAINING) return undefined;
  const buf = fixedHeader(first, remaining, 0);
  let pos = buf.length - remaining;
  if (id >= 0) pos = buf.writeUInt16BE(id, pos);
  buf[pos++] = code;
  writeProperties(buf, pos, props as Record<string, unknown> | undefined, propLength);
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
  if (remaining > MAX_REMAINING) return undefined;
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
