import { describe, it, expect } from 'vitest';
import {
  PublishPropertyDetail,
  QMqttAuthenticationProperties,
  QMqttConnectionProperties,
  QMqttLastWillProperties,
  QMqttMessageStatusProperties,
  QMqttPublishProperties,
  QMqttServerConnectionProperties,
  QMqttStringPair,
  QMqttSubscriptionProperties,
  QMqttUnsubscriptionProperties,
  QMqttUserProperties,
  RetainHandling,
  ServerPropertyDetail,
} from '../../lib/properties';
import { PayloadFormatIndicator } from '../../lib/state';
import { ReasonCode } from '../../lib/reason-codes';

describe('setters validate (RangeError for a bad value, TypeError for a bad type)', () => {
  it('Receive Maximum: 1..65535, 0 is a protocol error', () => {
    const p = new QMqttConnectionProperties();
    expect(() => p.setMaximumReceive(0)).toThrow(RangeError);
    expect(() => p.setMaximumReceive(0)).toThrow(
      /maximumReceive must be an integer from 1 to 65535 \(got 0\)/,
    );
    expect(() => p.setMaximumReceive(65536)).toThrow(RangeError);
    expect(() => p.setMaximumReceive(1.5)).toThrow(RangeError);
    expect(() => p.setMaximumReceive('5' as unknown as number)).toThrow(TypeError);
    p.setMaximumReceive(10);
    expect(p.maximumReceive()).toBe(10);
  });

  it('Maximum Packet Size: 1..2^32-1; Four Byte Integers reject negatives, NaN and 2^32', () => {
    const p = new QMqttConnectionProperties();
    expect(() => p.setMaximumPacketSize(0)).toThrow(/protocol error/);
    for (const bad of [-1, 2 ** 32, Number.NaN, Infinity]) {
      expect(() => p.setSessionExpiryInterval(bad), String(bad)).toThrow(RangeError);
    }
    p.setSessionExpiryInterval(0xffffffff);
    expect(p.sessionExpiryInterval()).toBe(0xffffffff);
    expect(() => p.setMaximumTopicAlias(65536)).toThrow(RangeError);
    expect(() => p.setRequestProblemInformation(1 as unknown as boolean)).toThrow(TypeError);
  });

  it('[MQTT-3.3.2-8] Topic Alias 0 and > 65535 are rejected', () => {
    const p = new QMqttPublishProperties();
    expect(() => p.setTopicAlias(0)).toThrow(/\[MQTT-3\.3\.2-8\]/);
    expect(() => p.setTopicAlias(65536)).toThrow(RangeError);
    expect(p.availableProperties() & PublishPropertyDetail.TopicAlias).toBe(0);
    p.setTopicAlias(65535);
    expect(p.topicAlias()).toBe(65535);
  });

  it('Subscription Identifier: Variable Byte Integer range; a list containing 0 is rejected', () => {
    const s = new QMqttSubscriptionProperties();
    expect(() => s.setSubscriptionIdentifier(268435456)).toThrow(RangeError);
    s.setSubscriptionIdentifier(268435455);
    expect(s.subscriptionIdentifier()).toBe(268435455);
    const p = new QMqttPublishProperties();
    expect(() => p.setSubscriptionIdentifiers([1, 0])).toThrow(/protocol error/);
    expect(() => p.setSubscriptionIdentifiers([268435456])).toThrow(RangeError);
    expect(() => p.setSubscriptionIdentifiers('1' as unknown as number[])).toThrow(TypeError);
    const ids = [3, 7];
    p.setSubscriptionIdentifiers(ids);
    ids.push(9);
    expect(p.subscriptionIdentifiers()).toEqual([3, 7]);
  });

  it('[MQTT-1.5.4-1] [MQTT-1.5.4-2] strings: no U+0000, no lone surrogate, ≤ 65535 bytes', () => {
    const w = new QMqttLastWillProperties();
    expect(() => w.setContentType('text\u0000')).toThrow(/contentType must not contain U\+0000/);
    expect(() => w.setContentType('\uD800')).toThrow(/lone surrogate/);
    expect(() => w.setContentType('x'.repeat(65536))).toThrow(RangeError);
    expect(() => w.setContentType(5 as unknown as string)).toThrow(TypeError);
    expect(() => new QMqttAuthenticationProperties().setReason('a\u0000')).toThrow(RangeError);
    expect(() => new QMqttConnectionProperties().setAuthenticationMethod('\uDC00')).toThrow(RangeError);
    expect(() => new QMqttStringPair('a\u0000', 'b')).toThrow(/user property name/);
    expect(() => new QMqttStringPair('a', '\uD800')).toThrow(/user property value/);
  });

  it('[MQTT-3.3.2-14] a Response Topic must be a topic name without wildcards', () => {
    const p = new QMqttPublishProperties();
    expect(() => p.setResponseTopic('reply/+')).toThrow(/\[MQTT-3\.3\.2-14\]/);
    expect(() => new QMqttLastWillProperties().setResponseTopic('a/#')).toThrow(RangeError);
    p.setResponseTopic('reply/me');
    expect(p.responseTopic()).toBe('reply/me');
  });

  it('payload format 0|1, retain handling 0..2, bytes ≤ 65535', () => {
    expect(() => new QMqttPublishProperties().setPayloadFormatIndicator(2 as PayloadFormatIndicator)).toThrow(
      RangeError,
    );
    expect(() => new QMqttSubscriptionProperties().setRetainHandling(3 as RetainHandling)).toThrow(
      /Retain Handling 3/,
    );
    expect(() => new QMqttPublishProperties().setCorrelationData(Buffer.alloc(65536))).toThrow(RangeError);
    expect(() => new QMqttPublishProperties().setCorrelationData(42 as unknown as Buffer)).toThrow(TypeError);
    const p = new QMqttPublishProperties();
    p.setCorrelationData('id-1');
    expect(p.correlationData().toString()).toBe('id-1');
    p.setCorrelationData(new Uint8Array([1, 2]));
    expect(Buffer.isBuffer(p.correlationData())).toBe(true);
    expect([...p.correlationData()]).toEqual([1, 2]);
  });

  it('server properties: maximumQoS 0..2, serverKeepAlive u16', () => {
    const s = new QMqttServerConnectionProperties();
    expect(() => s.setMaximumQoS(3)).toThrow(RangeError);
    expect(() => s.setServerKeepAlive(65536)).toThrow(RangeError);
  });
});

describe('copy() isolates the client from later changes by the caller', () => {
  it('connection and server properties', () => {
    const p = new QMqttConnectionProperties();
    p.setSessionExpiryInterval(100);
    p.userProperties().append('a', '1');
    const data = Buffer.from('abc');
    p.setAuthenticationData(data);
    data[0] = 0x7a; // setter took a copy
    expect(p.authenticationData().toString()).toBe('abc');
    const c = p.copy();
    p.setSessionExpiryInterval(7);
    p.userProperties().append('b', '2');
    p.authenticationData()[0] = 0x78;
    expect(c.sessionExpiryInterval()).toBe(100);
    expect(c.userProperties().toArray()).toEqual([['a', '1']]);
    expect(c.authenticationData().toString()).toBe('abc');

    const s = new QMqttServerConnectionProperties();
    s.setMaximumQoS(1);
    s.setMaximumReceive(3);
    const sc = s.copy();
    s.setMaximumQoS(0);
    expect(sc).toBeInstanceOf(QMqttServerConnectionProperties);
    expect(sc.maximumQoS()).toBe(1);
    expect(sc.maximumReceive()).toBe(3);
    expect(sc.availableProperties()).toBe(
      ServerPropertyDetail.MaximumQoS | ServerPropertyDetail.MaximumReceive,
    );
  });

  it('will, publish, subscription, unsubscription, auth and status properties', () => {
    const w = new QMqttLastWillProperties();
    w.setCorrelationData('x');
    w.userProperties().append('k', 'v');
    const wc = w.copy();
    w.userProperties().clear();
    w.correlationData()[0] = 0x79;
    expect(wc.userProperties().length).toBe(1);
    expect(wc.correlationData().toString()).toBe('x');

    const p = new QMqttPublishProperties();
    p.setSubscriptionIdentifiers([5]);
    p.setContentType('a');
    const pc = p.copy();
    p.setContentType('b');
    p.setSubscriptionIdentifiers([6]);
    expect(pc.contentType()).toBe('a');
    expect(pc.subscriptionIdentifiers()).toEqual([5]);
    expect(pc.availableProperties()).toBe(
      PublishPropertyDetail.ContentType | PublishPropertyDetail.SubscriptionIdentifier,
    );

    const s = new QMqttSubscriptionProperties();
    s.setNoLocal(true);
    s.setRetainHandling(RetainHandling.DoNotSend);
    const sc = s.copy();
    s.setNoLocal(false);
    expect(sc.noLocal()).toBe(true);
    expect(sc.retainHandling()).toBe(2);

    const u = new QMqttUnsubscriptionProperties();
    u.setUserProperties([['a', 'b']]);
    const uc = u.copy();
    u.userProperties().append('c', 'd');
    expect(uc.userProperties().length).toBe(1);

    const a = new QMqttAuthenticationProperties();
    a.setAuthenticationMethod('m');
    a.setReason('r');
    const ac = a.copy();
    a.setReason('changed');
    expect(ac.reason()).toBe('r');
    expect(ac.authenticationMethod()).toBe('m');

    const st = QMqttMessageStatusProperties.create(0x10, 'no one', new QMqttUserProperties([['x', 'y']]));
    const stc = st.copy();
    st.userProperties().append('z', 'z');
    expect(stc.reasonCode()).toBe(ReasonCode.NoMatchingSubscriber);
    expect(stc.reason()).toBe('no one');
    expect(stc.userProperties().length).toBe(1);
  });
});
