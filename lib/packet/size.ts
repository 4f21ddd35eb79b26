/**
 * Exact encoded sizes of the packets whose size a server may limit (MQTT 5 Maximum Packet Size,
 * [MQTT-3.1.2-24] / [MQTT-3.2.2-15]): the whole packet, fixed header included (§2.1.4).
 */
import type { PublishPacket, SubscribePacket } from './codec';
import { propertiesLength } from './property-encode';
import { varIntSize } from './wire-write';

type Props = Record<string, unknown>;

export { varIntSize };

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

/**
 * A property block: its length (a Variable Byte Integer) and the properties (§2.2.2), as the client's encoder
 * writes it. Properties it would leave to mqtt-packet as invalid count nothing: encoding refuses them anyway.
 */
function propertyBlockSize(props: Props | undefined): number {
  const n = Math.max(0, propertiesLength(props));
  return varIntSize(n) + n;
}
