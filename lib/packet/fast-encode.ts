import type { Packet } from './codec';

/**
 * Encodes the hot-path packets directly (perf-anchor F8: mqtt-packet's `generate` builds a stream object per
 * packet): PUBLISH without properties and the two-byte acknowledgements, as parts; a payload of `splitAt` bytes or
 * more is its own part instead of being copied behind the header (a 1 MiB publish is written without a copy).
 * Returns undefined for every other packet, which mqtt-packet encodes. The golden-bytes tests cover both paths.
 */
export function fastEncodeParts(
  packet: Packet,
  protocolVersion: number,
  splitAt: number,
): Buffer[] | undefined {
  switch (packet.cmd) {
    case 'publish': {
      const props = packet.properties;
      if (props && Object.keys(props).length > 0) return undefined;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const topic = topicBytes(packet.topic);
      const topicLength = topic.length;
      if (topicLength > 0xffff) return undefined; // let the checked path refuse it
      const v5 = protocolVersion === 5;
      const remaining = 2 + topicLength + (packet.qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payload.length;
      if (remaining > 268_435_455) return undefined;
      const lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
      const split = payload.length >= splitAt;
      const buf = Buffer.allocUnsafe(1 + lengthBytes + remaining - (split ? payload.length : 0));
      buf[0] = 0x30 | (packet.dup ? 0x08 : 0) | (packet.qos << 1) | (packet.retain ? 0x01 : 0);
      let pos = 1;
      let n = remaining;
      do {
        let b = n % 128;
        n = Math.floor(n / 128);
        if (n > 0) b |= 0x80;
        buf[pos++] = b;
      } while (n > 0);
      buf.writeUInt16BE(topicLength, pos);
      pos += 2;
      if (topicLength <= 64) for (let i = 0; i < topicLength; i++) buf[pos++] = topic[i]!;
      else pos += topic.copy(buf, pos);
      if (packet.qos > 0) {
        buf.writeUInt16BE(packet.messageId ?? 0, pos);
        pos += 2;
      }
      if (v5) buf[pos++] = 0;
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
    default:
      return undefined;
  }
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
