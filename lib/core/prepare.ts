import { QMqttInvalidArgumentError, type QMqttError } from '../errors';
import type { PublishPacket } from '../packet/codec';
import { QMqttPublishProperties, QMqttSubscriptionProperties } from '../properties';
import { QMqttTopicFilter, validateTopicFilter } from '../topic/topic-filter';
import { QMqttTopicName, validateTopicName } from '../topic/topic-name';

export type Payload = Buffer | Uint8Array | string;
export type TopicNameLike = QMqttTopicName | string;
export type TopicFilterLike = QMqttTopicFilter | string;

/** Validated arguments of a publish call (Qt's two overloads folded into one shape). */
export interface PublishArgs {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  properties: QMqttPublishProperties | undefined;
}

/** Checks and normalises `publish(topic, [properties,] message, qos, retain)`; an error says what is wrong. */
export function preparePublishArgs(
  topic: TopicNameLike,
  a: unknown,
  b: unknown,
  c: unknown,
  d: unknown,
): PublishArgs | QMqttError {
  let props: QMqttPublishProperties | undefined;
  let message: unknown, qos: unknown, retain: unknown;
  if (a instanceof QMqttPublishProperties) [props, message, qos, retain] = [a, b, c, d];
  else [message, qos, retain] = [a, b, c];
  if (typeof topic !== 'string' && !(topic instanceof QMqttTopicName))
    return new QMqttInvalidArgumentError(`The topic must be a string or QMqttTopicName, got ${typeof topic}`);
  const name = typeof topic === 'string' ? topic : topic.name();
  const topicProblem = validateTopicName(name);
  if (topicProblem) return new QMqttInvalidArgumentError(topicProblem);
  qos ??= 0;
  if (qos !== 0 && qos !== 1 && qos !== 2)
    return new QMqttInvalidArgumentError(`QoS must be 0, 1 or 2, got ${String(qos)}`);
  if (retain !== undefined && typeof retain !== 'boolean')
    return new QMqttInvalidArgumentError(`retain must be a boolean, got ${typeof retain}`);
  let payload: Buffer;
  if (message === undefined || message === null) payload = Buffer.alloc(0);
  else if (Buffer.isBuffer(message)) payload = message;
  else if (typeof message === 'string') payload = Buffer.from(message, 'utf8');
  else if (message instanceof Uint8Array)
    payload = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  else
    return new QMqttInvalidArgumentError(
      `The message must be a Buffer, Uint8Array or string, got ${typeof message}`,
    );
  return { topic: name, payload, qos, retain: retain ?? false, properties: props };
}

/** Validated arguments of a subscribe call. */
export interface SubscribeArgs {
  filter: QMqttTopicFilter;
  qos: 0 | 1 | 2;
  properties: QMqttSubscriptionProperties | undefined;
}

export function prepareSubscribeArgs(
  topic: TopicFilterLike,
  a: unknown,
  b: unknown,
): SubscribeArgs | QMqttError {
  const props = a instanceof QMqttSubscriptionProperties ? a : undefined;
  const qos = (props ? b : a) ?? 0;
  if (typeof topic !== 'string' && !(topic instanceof QMqttTopicFilter))
    return new QMqttInvalidArgumentError(
      `The topic filter must be a string or QMqttTopicFilter, got ${typeof topic}`,
    );
  const text = filterText(topic);
  const problem = validateTopicFilter(text);
  if (problem) return new QMqttInvalidArgumentError(problem);
  if (qos !== 0 && qos !== 1 && qos !== 2)
    return new QMqttInvalidArgumentError(`QoS must be 0, 1 or 2, got ${JSON.stringify(qos) ?? typeof qos}`);
  return { filter: typeof topic === 'string' ? new QMqttTopicFilter(topic) : topic, qos, properties: props };
}

export function filterText(topic: TopicFilterLike): string {
  return typeof topic === 'string' ? topic : topic.filter();
}

/** Builds the PUBLISH packet (without id) for validated arguments. */
export function publishPacket(
  args: PublishArgs,
  wireProps: PublishPacket['properties'] | undefined,
): PublishPacket {
  const packet: PublishPacket = {
    cmd: 'publish',
    topic: args.topic,
    payload: args.payload,
    qos: args.qos,
    retain: args.retain,
    dup: false,
  };
  if (wireProps) packet.properties = wireProps;
  return packet;
}
