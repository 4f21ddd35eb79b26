import type { PublishPacket } from '../packet/codec';

/**
 * Outbound topic aliases (MQTT 5 §3.3.2.3.4), per connection: the first PUBLISH to a topic carries the topic
 * and a new alias; later ones carry the alias and an empty topic. Aliases never exceed the server's Topic Alias
 * Maximum [MQTT-3.3.2-9], and a new connection starts with none [MQTT-3.3.2-7] (Qt keeps them across).
 * The stored packet is never changed, so a re-send after reconnect carries the full topic again.
 */
export class OutboundTopicAliases {
  private readonly byTopic = new Map<string, number>();
  private next = 1;

  constructor(private readonly maximum: number) {}

  /** The packet to write: `packet` itself, or a copy using an alias. */
  apply(packet: PublishPacket): PublishPacket {
    if (this.maximum === 0 || packet.properties?.topicAlias !== undefined) return packet;
    const known = this.byTopic.get(packet.topic);
    if (known !== undefined) {
      return { ...packet, topic: '', properties: { ...packet.properties, topicAlias: known } };
    }
    if (this.next > this.maximum) return packet;
    const alias = this.next++;
    this.byTopic.set(packet.topic, alias);
    return { ...packet, properties: { ...packet.properties, topicAlias: alias } };
  }
}

/** Inbound topic aliases set by the server, per connection [MQTT-3.3.2-12]. */
export class InboundTopicAliases {
  private readonly byAlias = new Map<number, string>();

  /**
   * Resolves the topic of an incoming PUBLISH: records `topic` under `alias` when both are given, returns the
   * recorded topic for an empty topic, or undefined when the alias is unknown (a protocol error, 0x82).
   */
  resolve(topic: string, alias: number | undefined): string | undefined {
    if (alias === undefined) return topic;
    if (topic.length > 0) {
      this.byAlias.set(alias, topic);
      return topic;
    }
    return this.byAlias.get(alias);
  }
}
