/** Topic names, topic filters and the subscription matcher. */
export { QMqttTopicName, validateTopicName } from './topic-name';
export { QMqttTopicFilter, validateTopicFilter } from './topic-filter';
export { TopicMatcher, type TopicMatchVisitor } from './matcher';
