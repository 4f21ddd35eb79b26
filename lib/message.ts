import { QMqttTopicName } from './topic/topic-name';
import { QMqttPublishProperties } from './properties';

/**
 * An application message received from the broker (`QMqttMessage`). Read-only; the library builds it.
 */
export class QMqttMessage {
  private topicName: QMqttTopicName | undefined;

  /** @internal */
  constructor(
    private readonly topicString: string,
    private readonly data: Buffer,
    private readonly packetId: number,
    private readonly qosLevel: 0 | 1 | 2,
    private readonly dup: boolean,
    private readonly retained: boolean,
    private readonly properties: QMqttPublishProperties | undefined,
  ) {}

  /** The topic the message arrived on (a topic alias is already resolved). */
  topic(): QMqttTopicName {
    return (this.topicName ??= new QMqttTopicName(this.topicString));
  }

  /** The message body. */
  payload(): Buffer {
    return this.data;
  }

  /** Packet identifier of the PUBLISH (0 for QoS 0). */
  id(): number {
    return this.packetId;
  }

  /** QoS of this delivery. */
  qos(): 0 | 1 | 2 {
    return this.qosLevel;
  }

  /** The DUP flag of the PUBLISH. */
  duplicate(): boolean {
    return this.dup;
  }

  /** The RETAIN flag of the PUBLISH. */
  retain(): boolean {
    return this.retained;
  }

  /** MQTT 5: the PUBLISH properties (empty under 3.1/3.1.1). */
  publishProperties(): QMqttPublishProperties {
    return this.properties ?? new QMqttPublishProperties();
  }

  /** Same topic, payload, id, QoS, flags. */
  equals(other: QMqttMessage): boolean {
    return (
      this.topicString === other.topicString &&
      this.packetId === other.packetId &&
      this.qosLevel === other.qosLevel &&
      this.dup === other.dup &&
      this.retained === other.retained &&
      this.data.equals(other.data)
    );
  }
}
