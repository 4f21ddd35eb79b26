import type { SubscribePacket } from '../packet/codec';
import { subscribePropertiesToWire, type QMqttSubscriptionProperties } from '../properties';

/**
 * The SUBSCRIBE for these filters (§3.8): one entry per filter with its options; under MQTT 5 the property
 * block (Subscription Identifier, User Properties) is the first filter's, as a packet has only one.
 */
export function subscribePacket(
  messageId: number,
  filters: string[],
  qos: (0 | 1 | 2)[],
  properties: (QMqttSubscriptionProperties | undefined)[],
  v5: boolean,
): SubscribePacket {
  const packet: SubscribePacket = {
    cmd: 'subscribe',
    messageId,
    subscriptions: filters.map((topic, i) => {
      const entry: SubscribePacket['subscriptions'][number] = { topic, qos: qos[i] ?? 0 };
      const p = properties[i];
      if (v5 && p) Object.assign(entry, subscribePropertiesToWire(p).options);
      return entry;
    }),
  };
  const first = properties[0];
  if (v5 && first) {
    const p = subscribePropertiesToWire(first).properties;
    if (p) packet.properties = p;
  }
  return packet;
}
