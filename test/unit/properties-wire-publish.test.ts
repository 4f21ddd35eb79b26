import { describe, it, expect } from 'vitest';
import * as mqtt from 'mqtt-packet';
import {
  PublishPropertyDetail,
  QMqttAuthenticationProperties,
  QMqttPublishProperties,
  QMqttServerConnectionProperties,
  QMqttSubscriptionProperties,
  QMqttUnsubscriptionProperties,
  RetainHandling,
  authPropertiesFromWire,
  authPropertiesToWire,
  incomingPublishPropertiesProblem,
  messageStatusPropertiesFromWire,
  outgoingPublishPropertiesProblem,
  publishPropertiesFromWire,
  publishPropertiesToWire,
  subscribePropertiesToWire,
  subscriptionProblem,
  unsubscribePropertiesToWire,
  userPropertiesFromWire,
} from '../../lib/properties';
import { PayloadFormatIndicator } from '../../lib/state';

/** Encodes with mqtt-packet as MQTT 5 and parses the bytes back. */
function roundTrip<P extends mqtt.Packet>(packet: P): P {
  const bytes = mqtt.generate(packet, { protocolVersion: 5 });
  const parser = mqtt.parser({ protocolVersion: 5 });
  const out: mqtt.Packet[] = [];
  parser.on('packet', (p) => out.push(p));
  parser.on('error', (e: unknown) => {
    throw e;
  });
  parser.parse(bytes);
  expect(out).toHaveLength(1);
  return out[0] as P;
}

describe('PUBLISH properties', () => {
  it('an untouched object writes nothing; bits with absent-equivalent values write nothing', () => {
    expect(publishPropertiesToWire(new QMqttPublishProperties())).toBeUndefined();
    const p = new QMqttPublishProperties();
    p.setPayloadFormatIndicator(PayloadFormatIndicator.Unspecified);
    p.setMessageExpiryInterval(0);
    p.setResponseTopic('');
    p.setContentType('');
    expect(publishPropertiesToWire(p)).toBeUndefined();
  });

  it('round-trips client → server; subscription identifiers are never written [MQTT-3.3.4-6]', () => {
    const p = new QMqttPublishProperties();
    p.setPayloadFormatIndicator(PayloadFormatIndicator.UTF8Encoded);
    p.setMessageExpiryInterval(30);
    p.setTopicAlias(3);
    p.setResponseTopic('reply/to');
    p.setCorrelationData(Buffer.from([9, 8]));
    p.setUserProperties([
      ['u', '1'],
      ['u', '2'],
    ]);
    p.setContentType('application/json');
    p.setSubscriptionIdentifiers([4]);
    const wire = publishPropertiesToWire(p);
    expect(wire?.subscriptionIdentifier).toBeUndefined();
    const back = roundTrip<mqtt.IPublishPacket>({
      cmd: 'publish',
      topic: 't',
      payload: Buffer.from('x'),
      qos: 1,
      messageId: 7,
      dup: false,
      retain: false,
      properties: wire,
    });
    const q = publishPropertiesFromWire(back.properties);
    expect(q.payloadFormatIndicator()).toBe(PayloadFormatIndicator.UTF8Encoded);
    expect(q.messageExpiryInterval()).toBe(30);
    expect(q.topicAlias()).toBe(3);
    expect(q.responseTopic()).toBe('reply/to');
    expect([...q.correlationData()]).toEqual([9, 8]);
    expect(q.userProperties().equals(p.userProperties())).toBe(true);
    expect(q.contentType()).toBe('application/json');
    expect(q.availableProperties()).toBe(0xff & ~PublishPropertyDetail.SubscriptionIdentifier);
  });

  it('server → client: several subscription identifiers become a list with its bit', () => {
    const back = roundTrip<mqtt.IPublishPacket>({
      cmd: 'publish',
      topic: 't',
      payload: Buffer.alloc(0),
      qos: 0,
      dup: false,
      retain: false,
      properties: { subscriptionIdentifier: [1, 300, 268435455] },
    });
    const q = publishPropertiesFromWire(back.properties);
    expect(q.subscriptionIdentifiers()).toEqual([1, 300, 268435455]);
    expect(q.availableProperties()).toBe(PublishPropertyDetail.SubscriptionIdentifier);
    expect(publishPropertiesFromWire({ subscriptionIdentifier: 5 }).subscriptionIdentifiers()).toEqual([5]);
    expect(publishPropertiesFromWire(undefined).availableProperties()).toBe(0);
  });

  it('incomingPublishPropertiesProblem: Topic Alias 0 [MQTT-3.3.2-8], above our maximum [MQTT-3.3.2-11], id 0', () => {
    expect(incomingPublishPropertiesProblem({ topicAlias: 0 }, 10)).toMatch(/\[MQTT-3\.3\.2-8\]/);
    expect(incomingPublishPropertiesProblem({ topicAlias: 11 }, 10)).toMatch(/\[MQTT-3\.3\.2-11\]/);
    expect(incomingPublishPropertiesProblem({ subscriptionIdentifier: [1, 0] }, 0)).toMatch(
      /Subscription Identifier 0/,
    );
    expect(incomingPublishPropertiesProblem({ topicAlias: 10, subscriptionIdentifier: 2 }, 10)).toBeNull();
  });

  it('outgoingPublishPropertiesProblem: [MQTT-3.3.4-6] ids, [MQTT-3.3.2-9] / [MQTT-3.2.2-18] aliases', () => {
    const p = new QMqttPublishProperties();
    p.setSubscriptionIdentifiers([1]);
    expect(outgoingPublishPropertiesProblem(p)).toMatch(/\[MQTT-3\.3\.4-6\]/);
    const a = new QMqttPublishProperties();
    a.setTopicAlias(5);
    expect(outgoingPublishPropertiesProblem(a)).toMatch(/\[MQTT-3\.2\.2-18\]/);
    const server = new QMqttServerConnectionProperties();
    server.setMaximumTopicAlias(4);
    expect(outgoingPublishPropertiesProblem(a, server)).toMatch(/\[MQTT-3\.3\.2-9\]/);
    server.setMaximumTopicAlias(5);
    expect(outgoingPublishPropertiesProblem(a, server)).toBeNull();
  });
});

describe('SUBSCRIBE / UNSUBSCRIBE / AUTH / acknowledgements', () => {
  it('subscription properties and per-filter options (nl, rap, rh) round-trip', () => {
    expect(subscribePropertiesToWire(undefined)).toEqual({
      properties: undefined,
      options: { nl: false, rap: false, rh: 0 },
    });
    const s = new QMqttSubscriptionProperties();
    expect(subscribePropertiesToWire(s).properties).toBeUndefined();
    s.setSubscriptionIdentifier(268435455);
    s.setNoLocal(true);
    s.setRetainAsPublished(true);
    s.setRetainHandling(RetainHandling.SendOnSubscribeIfNew);
    s.userProperties().append('s', '1');
    const { properties, options } = subscribePropertiesToWire(s);
    expect(options).toEqual({ nl: true, rap: true, rh: 1 });
    const back = roundTrip<mqtt.ISubscribePacket>({
      cmd: 'subscribe',
      messageId: 3,
      subscriptions: [{ topic: 'a/#', qos: 1, ...options }],
      properties,
    });
    expect(back.properties).toMatchObject({ subscriptionIdentifier: 268435455, userProperties: { s: '1' } });
    expect(back.subscriptions[0]).toMatchObject({ topic: 'a/#', qos: 1, nl: true, rap: true, rh: 1 });
  });

  it('[MQTT-3.8.3-4] subscriptionProblem: No Local on a shared subscription, server capabilities', () => {
    const s = new QMqttSubscriptionProperties();
    s.setNoLocal(true);
    expect(subscriptionProblem('$share/g/a', s)).toMatch(/\[MQTT-3\.8\.3-4\]/);
    expect(subscriptionProblem('a/b', s)).toBeNull();
    expect(subscriptionProblem('a/#/b')).toMatch(/\[MQTT-4\.7\.1-1\]/);
    const server = new QMqttServerConnectionProperties();
    server.setSharedSubscriptionSupported(false);
    server.setWildcardSupported(false);
    server.setSubscriptionIdentifierSupported(false);
    expect(subscriptionProblem('$share/g/a', undefined, server)).toMatch(/shared subscriptions/);
    expect(subscriptionProblem('a/+', undefined, server)).toMatch(/wildcard/);
    const id = new QMqttSubscriptionProperties();
    id.setSubscriptionIdentifier(1);
    expect(subscriptionProblem('a', id, server)).toMatch(/subscription identifiers/);
    expect(subscriptionProblem('a', undefined, server)).toBeNull();
  });

  it('unsubscribe properties: only user properties, undefined when empty', () => {
    expect(unsubscribePropertiesToWire(undefined)).toBeUndefined();
    const u = new QMqttUnsubscriptionProperties();
    expect(unsubscribePropertiesToWire(u)).toBeUndefined();
    u.setUserProperties({ why: 'done' });
    const back = roundTrip<mqtt.IUnsubscribePacket>({
      cmd: 'unsubscribe',
      messageId: 2,
      unsubscriptions: ['a'],
      properties: unsubscribePropertiesToWire(u),
    });
    expect(userPropertiesFromWire(back.properties?.userProperties).toArray()).toEqual([['why', 'done']]);
  });

  it('AUTH properties round-trip', () => {
    expect(authPropertiesToWire(new QMqttAuthenticationProperties())).toBeUndefined();
    const a = new QMqttAuthenticationProperties();
    a.setAuthenticationMethod('SCRAM-SHA-256');
    a.setAuthenticationData(Buffer.from('client-first'));
    a.setReason('step 1');
    a.userProperties().append('x', 'y');
    const back = roundTrip<mqtt.IAuthPacket>({
      cmd: 'auth',
      reasonCode: 0x18,
      properties: authPropertiesToWire(a),
    });
    const b = authPropertiesFromWire(back.properties);
    expect(b.authenticationMethod()).toBe('SCRAM-SHA-256');
    expect(b.authenticationData().toString()).toBe('client-first');
    expect(b.reason()).toBe('step 1');
    expect(b.userProperties().toArray()).toEqual([['x', 'y']]);
    expect(authPropertiesFromWire(undefined).authenticationMethod()).toBe('');
  });

  it('acknowledgement → QMqttMessageStatusProperties (absent reason code = Success)', () => {
    const back = roundTrip<mqtt.IPubackPacket>({
      cmd: 'puback',
      messageId: 9,
      reasonCode: 0x10,
      properties: { reasonString: 'nobody', userProperties: { a: ['1', '2'] } },
    });
    const s = messageStatusPropertiesFromWire(back.reasonCode, back.properties);
    expect(s.reasonCode()).toBe(0x10);
    expect(s.reason()).toBe('nobody');
    expect(s.userProperties().toArray()).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
    const empty = messageStatusPropertiesFromWire(undefined, undefined);
    expect(empty.reasonCode()).toBe(0);
    expect(empty.reason()).toBe('');
    expect(empty.userProperties().length).toBe(0);
  });
});
