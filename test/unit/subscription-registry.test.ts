/**
 * The registry files plain filters only by their text and keeps wildcard and shared filters in the matcher;
 * delivery must still reach every matching subscription exactly once, and removal must stop it.
 */
import { describe, it, expect } from 'vitest';
import { SubscriptionRegistry } from '../../lib/subscriptions';
import { QMqttSubscription, type SubscriptionOwner } from '../../lib/subscription';
import { QMqttMessage } from '../../lib/message';
import { QMqttTopicFilter } from '../../lib/topic/topic-filter';
import { QMqttSubscriptionProperties, QMqttUserProperties } from '../../lib/properties';
import { SubscriptionState } from '../../lib/state';

const owner: SubscriptionOwner = { unsubscribeSubscription: () => undefined };

function setup(filters: string[]) {
  const reg = new SubscriptionRegistry();
  const got: string[] = [];
  const subs = filters.map((f) => {
    const s = new QMqttSubscription(owner, new QMqttTopicFilter(f), 0, undefined);
    s.messageReceived.connect((m) => got.push(`${f} <- ${m.topic().name()}`));
    reg.add(s);
    return s;
  });
  const send = (topic: string) =>
    reg.deliver(topic, new QMqttMessage(topic, Buffer.alloc(0), 0, 0, false, false, undefined));
  return { reg, got, subs, send };
}

describe('SubscriptionRegistry', () => {
  it('delivers to plain, wildcard and shared filters, each once', () => {
    const { got, send } = setup(['a/b', 'a/+', '#', '$share/g/a/b', '$share/g/a/#', 'a/b/c']);
    send('a/b');
    expect(got.sort()).toEqual(
      ['a/b <- a/b', 'a/+ <- a/b', '# <- a/b', '$share/g/a/b <- a/b', '$share/g/a/# <- a/b'].sort(),
    );
  });

  it('a topic spelled like a shared filter does not reach that subscription', () => {
    const { got, send } = setup(['$share/g/x']);
    send('$share/g/x');
    send('x');
    expect(got).toEqual(['$share/g/x <- x']);
  });

  it('removed subscriptions get nothing; get/size/all follow', () => {
    const { reg, got, subs, send } = setup(['a/b', 'a/+', '$share/g/a/b']);
    expect(reg.size).toBe(3);
    expect(reg.get('a/b')).toBe(subs[0]);
    for (const s of subs) reg.remove(s);
    send('a/b');
    expect(got).toEqual([]);
    expect(reg.size).toBe(0);
    expect(reg.all()).toEqual([]);
    expect(reg.get('a/b')).toBeUndefined();
  });
});

describe('QMqttSubscription (compact storage, parts made on first use)', () => {
  it('fullTopic/topic are values: changing them leaves the subscription as it was', () => {
    const s = new QMqttSubscription(owner, new QMqttTopicFilter('$share/g/a/+'), 1, undefined);
    const full = s.fullTopic();
    full.setFilter('other');
    expect(s.fullTopic().filter()).toBe('$share/g/a/+');
    expect(s.topic().filter()).toBe('a/+');
    expect(s.isSharedSubscription()).toBe(true);
    expect(s.sharedSubscriptionName()).toBe('g');
  });

  it('SUBACK reason, user properties and granted QoS; signals connected later still fire', () => {
    const s = new QMqttSubscription(owner, new QMqttTopicFilter('a'), 2, undefined);
    const seen: string[] = [];
    s.setAck(1, '', new QMqttUserProperties());
    expect([s.reasonCode(), s.qos(), s.reason(), s.userProperties().length]).toEqual([1, 1, '', 0]);
    s.qosChanged.connect((q) => seen.push(`qos ${q}`));
    s.stateChanged.connect((st) => seen.push(`state ${st}`));
    const up = new QMqttUserProperties();
    up.append('k', 'v');
    s.setAck(0, 'why', up);
    expect([s.reason(), s.userProperties().length]).toEqual(['why', 1]);
    s.setAck(0, '', new QMqttUserProperties());
    expect([s.reason(), s.userProperties().length]).toEqual(['', 0]);
    s.setState(SubscriptionState.Subscribed);
    expect(seen).toEqual(['qos 0', `state ${SubscriptionState.Subscribed}`]);
  });

  it('keeps the subscription properties it was made with', () => {
    const props = new QMqttSubscriptionProperties();
    props.setSubscriptionIdentifier(5);
    const s = new QMqttSubscription(owner, new QMqttTopicFilter('a'), 0, props);
    expect(s.properties).toBe(props);
    s.properties = undefined;
    expect(s.properties).toBeUndefined();
    expect(new QMqttSubscription(owner, new QMqttTopicFilter('a'), 0, undefined).properties).toBeUndefined();
  });
});
