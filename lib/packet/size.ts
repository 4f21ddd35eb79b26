/**
 * Exact encoded sizes of the packets whose size a server may limit (MQTT 5 Maximum Packet Size,
 * [MQTT-3.1.2-24] / [MQTT-3.2.2-15]): the whole packet, fixed header included (§2.1.4).
 */
import type { PublishPacket, SubscribePacket, WireUserProperties } from './codec';

type Props = Record<string, unknown>;

/** The bytes of a Variable Byte Integer holding `n` (§1.5.5). */
export function varIntSize(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

/** A Variable Byte Integer's bytes (§1.5.5), e.g. a Remaining Length (§2.1.4). */
export function varIntBytes(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** The whole encoded PUBLISH (v5 with its property block). */
export function publishPacketSize(packet: PublishPacket, v5: boolean): number {
  const payload = packet.payload;
  const payloadBytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  let remaining = 2 + Buffer.byteLength(packet.topic, 'utf8') + (packet.qos > 0 ? 2 : 0) + payloadBytes;
  if (v5) remaining += propertyBlockSize(packet.properties);
  return 1 + varIntSize(remaining) + remaining;
}

/** The bytes one topic filter adds to a SUBSCRIBE: its length, the filter, the options byte (§3.8.3). */
export function subscriptionEntrySize(filter: string): number {
  return 2 + Buffer.byteLength(filter, 'utf8') + 1;
}

/**
 * The most a SUBSCRIBE without properties adds around its entries: fixed header (type and a Remaining Length of
 * up to 4 bytes), packet identifier, and under MQTT 5 an empty property block (§3.8.2).
 */
export const SUBSCRIBE_OVERHEAD_MAX = 1 + 4 + 2 + 1;

/** The whole encoded SUBSCRIBE (v5 with its property block). */
export function subscribePacketSize(packet: SubscribePacket, v5: boolean): number {
  let remaining = 2;
  for (const s of packet.subscriptions) remaining += subscriptionEntrySize(s.topic);
  if (v5) remaining += propertyBlockSize(packet.properties);
  return 1 + varIntSize(remaining) + remaining;
}

/** A property block: its length (a Variable Byte Integer) and the properties (§2.2.2). */
function propertyBlockSize(props: Props | undefined): number {
  let n = 0;
  if (props) for (const key of Object.keys(props)) n += propertySize(key, props[key]);
  return varIntSize(n) + n;
}

function propertySize(key: string, value: unknown): number {
  if (value === undefined || value === null) return 0;
  switch (key) {
    case 'payloadFormatIndicator':
      return 2;
    case 'messageExpiryInterval':
      return 5;
    case 'topicAlias':
      return 3;
    case 'subscriptionIdentifier':
      return Array.isArray(value)
        ? (value as number[]).reduce((sum, v) => sum + 1 + varIntSize(v), 0)
        : 1 + varIntSize(value as number);
    case 'correlationData':
      return 3 + (value as Buffer).length;
    case 'userProperties':
      return userPropertiesSize(value as WireUserProperties);
    default:
      // the string properties: Response Topic, Content Type (§3.3.2.3)
      return 3 + Buffer.byteLength(value as string, 'utf8');
  }
}

function userPropertiesSize(up: WireUserProperties): number {
  let n = 0;
  for (const name of Object.keys(up)) {
    const nameBytes = 5 + Buffer.byteLength(name, 'utf8');
    const values = up[name]!;
    for (const v of Array.isArray(values) ? values : [values])
      n += nameBytes + Buffer.byteLength(String(v), 'utf8');
  }
  return n;
}
