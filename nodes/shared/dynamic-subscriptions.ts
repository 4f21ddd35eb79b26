/**
 * `msg.action` subscribe / unsubscribe / getSubscriptions of `qmqtt-in`, as core's `mqtt in` does them:
 * `msg.topic` is a filter, an object `{ topic, qos, rh, rap, nl, datatype, subscriptionIdentifier }`, or an
 * array of those; `unsubscribe` with `msg.topic === true` removes them all.
 */
import { validateTopicFilter } from '../../lib';
import { toBool, toDatatype, toInt, toQos, type Datatype, type SubscriptionOptions } from './config';

export interface DynamicSubscription extends SubscriptionOptions {
  topic: string;
  datatype: Datatype;
}

function one(item: unknown, fallbackDatatype: Datatype): DynamicSubscription {
  const o: Record<string, unknown> =
    typeof item === 'string' ? { topic: item } : typeof item === 'object' && item !== null ? { ...item } : {};
  const topic = o.topic;
  if (typeof topic !== 'string' || topic === '')
    throw new Error('msg.topic must be a topic filter, an object with a topic, or an array of those');
  const problem = validateTopicFilter(topic);
  if (problem) throw new Error(`invalid topic filter "${topic}": ${problem}`);
  return {
    topic,
    qos: toQos(o.qos, 'qos', 2),
    rh: toInt(o.rh, 'rh', 0, 0, 2) as 0 | 1 | 2,
    rap: toBool(o.rap, true),
    nl: toBool(o.nl, false),
    subscriptionIdentifier: toInt(o.subscriptionIdentifier, 'subscriptionIdentifier', 0, 0, 268_435_455),
    datatype: toDatatype(o.datatype, 'datatype', fallbackDatatype),
  };
}

/** Parses `msg.topic` of a subscribe / unsubscribe action; throws with a message for the flow author. */
export function parseSubscriptionList(topic: unknown, fallbackDatatype: Datatype): DynamicSubscription[] {
  const items = Array.isArray(topic) ? topic : [topic];
  if (items.length === 0) throw new Error('msg.topic is an empty array');
  return items.map((i) => one(i, fallbackDatatype));
}
