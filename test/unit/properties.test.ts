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

describe('defaults (qtmqtt-classes.md tables)', () => {
  it('QMqttConnectionProperties §6', () => {
    const p = new QMqttConnectionProperties();
    expect(p.sessionExpiryInterval()).toBe(0);
    expect(p.maximumReceive()).toBe(65535);
    expect(p.maximumPacketSize()).toBe(0xffffffff);
    expect(p.maximumTopicAlias()).toBe(0);
    expect(p.requestResponseInformation()).toBe(false);
    expect(p.requestProblemInformation()).toBe(true);
    expect(p.userProperties().length).toBe(0);
    expect(p.authenticationMethod()).toBe('');
    expect(p.authenticationData().length).toBe(0);
  });

  it('QMqttServerConnectionProperties §7 (what an absent CONNACK property means)', () => {
    const p = new QMqttServerConnectionProperties();
    expect(p.availableProperties()).toBe(ServerPropertyDetail.None);
    expect(p.isValid()).toBe(false);
    expect(p.maximumQoS()).toBe(2);
    expect(p.retainAvailable()).toBe(true);
    expect(p.clientIdAssigned()).toBe(false);
    expect(p.reason()).toBe('');
    expect(p.reasonCode()).toBe(ReasonCode.Success);
    expect(p.wildcardSupported()).toBe(true);
    expect(p.subscriptionIdentifierSupported()).toBe(true);
    expect(p.sharedSubscriptionSupported()).toBe(true);
    expect(p.serverKeepAlive()).toBe(0);
    expect(p.responseInformation()).toBe('');
    expect(p.serverReference()).toBe('');
    expect(p.maximumReceive()).toBe(65535);
    expect(p).toBeInstanceOf(QMqttConnectionProperties);
  });

  it('QMqttLastWillProperties §8', () => {
    const p = new QMqttLastWillProperties();
    expect(p.willDelayInterval()).toBe(0);
    expect(p.payloadFormatIndicator()).toBe(PayloadFormatIndicator.Unspecified);
    expect(p.messageExpiryInterval()).toBe(0);
    expect(p.contentType()).toBe('');
    expect(p.responseTopic()).toBe('');
    expect(p.correlationData().length).toBe(0);
    expect(p.userProperties().isEmpty()).toBe(true);
  });

  it('QMqttPublishProperties §9', () => {
    const p = new QMqttPublishProperties();
    expect(p.availableProperties()).toBe(PublishPropertyDetail.None);
    expect(p.payloadFormatIndicator()).toBe(PayloadFormatIndicator.Unspecified);
    expect(p.messageExpiryInterval()).toBe(0);
    expect(p.topicAlias()).toBe(0);
    expect(p.responseTopic()).toBe('');
    expect(p.correlationData().length).toBe(0);
    expect(p.subscriptionIdentifiers()).toEqual([]);
    expect(p.contentType()).toBe('');
  });

  it('QMqttMessageStatusProperties §10, QMqttSubscriptionProperties §11, QMqttAuthenticationProperties §12', () => {
    const s = QMqttMessageStatusProperties.create();
    expect(s.reasonCode()).toBe(ReasonCode.Success);
    expect(s.reason()).toBe('');
    expect(s.userProperties().length).toBe(0);
    const sub = new QMqttSubscriptionProperties();
    expect(sub.subscriptionIdentifier()).toBe(0);
    expect(sub.noLocal()).toBe(false);
    expect(sub.retainAsPublished()).toBe(false);
    expect(sub.retainHandling()).toBe(RetainHandling.SendOnSubscribe);
    expect(new QMqttUnsubscriptionProperties().userProperties().length).toBe(0);
    const a = new QMqttAuthenticationProperties();
    expect(a.authenticationMethod()).toBe('');
    expect(a.authenticationData().length).toBe(0);
    expect(a.reason()).toBe('');
  });
});

describe('availableProperties bits', () => {
  it('QMqttPublishProperties: each setter sets its bit', () => {
    const p = new QMqttPublishProperties();
    p.setPayloadFormatIndicator(PayloadFormatIndicator.UTF8Encoded);
    p.setMessageExpiryInterval(10);
    p.setTopicAlias(1);
    p.setResponseTopic('r');
    p.setCorrelationData(Buffer.from('c'));
    p.setUserProperties([['a', 'b']]);
    p.setSubscriptionIdentifiers([1]);
    p.setContentType('text/plain');
    expect(p.availableProperties()).toBe(0xff);
  });

  it('QMqttPublishProperties: appending to the live user list reports UserProperty', () => {
    const p = new QMqttPublishProperties();
    p.userProperties().append('k', 'v');
    expect(p.availableProperties()).toBe(PublishPropertyDetail.UserProperty);
  });

  it('QMqttServerConnectionProperties: own and inherited setters set their bits', () => {
    const s = new QMqttServerConnectionProperties();
    s.setSessionExpiryInterval(5);
    s.setMaximumReceive(5);
    s.setMaximumQoS(1);
    s.setRetainAvailable(false);
    s.setMaximumPacketSize(1000);
    s.setAssignedClientIdentifier('auto-1');
    s.setMaximumTopicAlias(10);
    s.setReason('ok');
    s.setUserProperties({ a: 'b' });
    s.setWildcardSupported(false);
    s.setSubscriptionIdentifierSupported(false);
    s.setSharedSubscriptionSupported(false);
    s.setServerKeepAlive(30);
    s.setResponseInformation('resp/');
    s.setServerReference('other:1883');
    s.setAuthenticationMethod('SCRAM');
    s.setAuthenticationData(Buffer.from([1]));
    expect(s.availableProperties()).toBe(0x3fff7);
    expect(s.clientIdAssigned()).toBe(true);
    expect(s.assignedClientIdentifier()).toBe('auto-1');
    s.setReasonCode(ReasonCode.ServerMoved);
    s.setValid(true);
    expect(s.reasonCode()).toBe(0x9d);
    expect(s.isValid()).toBe(true);
  });
});

describe('QMqttStringPair / QMqttUserProperties (§13)', () => {
  it('keeps order and duplicates; looks values up by name', () => {
    const up = new QMqttUserProperties().append('a', '1').append('b', '2').append('a', '3');
    expect(up.length).toBe(3);
    expect(up.toArray()).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ]);
    expect(up.value('a')).toBe('1');
    expect(up.values('a')).toEqual(['1', '3']);
    expect(up.value('missing')).toBeUndefined();
    expect(up.at(-1)?.value()).toBe('3');
    expect([...up].map((p) => p.name())).toEqual(['a', 'b', 'a']);
    expect(up.remove('a')).toBe(2);
    expect(up.toArray()).toEqual([['b', '2']]);
    expect(JSON.stringify(up)).toBe('[["b","2"]]');
  });

  it('builds from pairs, tuples or an object with arrays, copying pairs', () => {
    const pair = new QMqttStringPair('n', 'v');
    const a = new QMqttUserProperties([pair, ['m', 'w']]);
    pair.setValue('changed');
    expect(a.toArray()).toEqual([
      ['n', 'v'],
      ['m', 'w'],
    ]);
    const b = new QMqttUserProperties({ x: ['1', '2'], y: '3' });
    expect(b.toArray()).toEqual([
      ['x', '1'],
      ['x', '2'],
      ['y', '3'],
    ]);
    expect(() => new QMqttUserProperties([42] as unknown as [string, string][])).toThrow(TypeError);
    expect(() => new QMqttUserProperties({ bad: 'a\u0000' })).toThrow(RangeError);
  });

  it('equals compares pairs in order', () => {
    const a = new QMqttUserProperties([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(
      a.equals(
        new QMqttUserProperties([
          ['a', '1'],
          ['b', '2'],
        ]),
      ),
    ).toBe(true);
    expect(
      a.equals(
        new QMqttUserProperties([
          ['b', '2'],
          ['a', '1'],
        ]),
      ),
    ).toBe(false);
    expect(a.equals(a.copy())).toBe(true);
    expect(new QMqttStringPair('a', 'b').equals(new QMqttStringPair('a', 'b'))).toBe(true);
    expect(new QMqttStringPair('a', 'b').equals(new QMqttStringPair('a', 'c'))).toBe(false);
  });
});
