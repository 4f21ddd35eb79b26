import { describe, it, expect } from 'vitest';
import * as mqtt from 'mqtt-packet';
import {
  QMqttConnectionProperties,
  QMqttLastWillProperties,
  QMqttUserProperties,
  ServerPropertyDetail,
  connackPropertiesProblem,
  connectPropertiesToWire,
  serverPropertiesFromConnack,
  userPropertiesFromWire,
  userPropertiesToWire,
  willPropertiesToWire,
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

describe('user properties ↔ mqtt-packet', () => {
  it('[MQTT-3.3.2-18] duplicates become arrays in order; interleaved pairs keep their order too; empty gives undefined', () => {
    expect(userPropertiesToWire(new QMqttUserProperties())).toBeUndefined();
    const w = userPropertiesToWire(
      new QMqttUserProperties([
        ['a', '1'],
        ['b', '2'],
        ['a', '3'],
        ['a', '4'],
      ]),
    );
    expect({ ...w }).toEqual({ a: ['1', '3', '4'], b: '2' });
    // the object groups names; the order they were added in goes along for the client's own encoder
    expect(userPropertiesFromWire(w).toArray()).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
      ['a', '4'],
    ]);
    const grouped = userPropertiesToWire(
      new QMqttUserProperties([
        ['a', '1'],
        ['a', '2'],
        ['b', '3'],
      ]),
    )!;
    expect(Object.getOwnPropertySymbols(grouped)).toEqual([]); // nothing to keep: the object's order is right
    const numeric = userPropertiesToWire(
      new QMqttUserProperties([
        ['b', '1'],
        ['7', '2'],
      ]),
    );
    expect(userPropertiesFromWire(numeric).toArray()).toEqual([
      ['b', '1'],
      ['7', '2'],
    ]);
  });

  it('a name like __proto__ survives (no prototype on the wire object)', () => {
    const w = userPropertiesToWire(
      new QMqttUserProperties([
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ]),
    );
    expect(Object.getOwnPropertyNames(w)).toEqual(['__proto__', 'constructor']);
    const back = roundTrip<mqtt.IUnsubscribePacket>({
      cmd: 'unsubscribe',
      messageId: 1,
      unsubscriptions: ['a'],
      properties: { userProperties: w },
    });
    expect(userPropertiesFromWire(back.properties?.userProperties).toArray()).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });

  it('[MQTT-3.3.2-18] order within a name survives encoding', () => {
    const up = new QMqttUserProperties([
      ['k', 'z'],
      ['k', 'a'],
      ['k', 'm'],
    ]);
    const back = roundTrip<mqtt.IAuthPacket>({
      cmd: 'auth',
      reasonCode: 0x18,
      properties: { userProperties: userPropertiesToWire(up) },
    });
    expect(userPropertiesFromWire(back.properties?.userProperties).values('k')).toEqual(['z', 'a', 'm']);
  });

  it('undefined from the wire gives an empty list', () => {
    expect(userPropertiesFromWire(undefined).length).toBe(0);
  });
});

describe('CONNECT / will properties', () => {
  it('defaults write nothing (requestProblemInformation true and receiveMaximum 65535 are not written)', () => {
    expect(connectPropertiesToWire(new QMqttConnectionProperties())).toBeUndefined();
    expect(willPropertiesToWire(new QMqttLastWillProperties())).toBeUndefined();
    const p = new QMqttConnectionProperties();
    p.setMaximumReceive(65535);
    p.setRequestProblemInformation(true);
    p.setAuthenticationData(Buffer.from('orphan')); // no method: not sent (MQTT 5.0 §3.1.2.11.10)
    expect(connectPropertiesToWire(p)).toBeUndefined();
  });

  it('non-default values survive a CONNECT round trip', () => {
    const p = new QMqttConnectionProperties();
    p.setSessionExpiryInterval(3600);
    p.setMaximumReceive(20);
    p.setMaximumPacketSize(4096);
    p.setMaximumTopicAlias(8);
    p.setRequestResponseInformation(true);
    p.setRequestProblemInformation(false);
    p.setUserProperties([
      ['app', 'test'],
      ['app', 'two'],
    ]);
    p.setAuthenticationMethod('SCRAM-SHA-1');
    p.setAuthenticationData(Buffer.from([1, 2, 3]));
    const w = new QMqttLastWillProperties();
    w.setWillDelayInterval(5);
    w.setPayloadFormatIndicator(PayloadFormatIndicator.UTF8Encoded);
    w.setMessageExpiryInterval(60);
    w.setContentType('text/plain');
    w.setResponseTopic('will/reply');
    w.setCorrelationData('corr');
    w.userProperties().append('w', '1');
    const packet: mqtt.IConnectPacket = {
      cmd: 'connect',
      protocolVersion: 5,
      clientId: 'c1',
      clean: true,
      keepalive: 60,
      properties: connectPropertiesToWire(p),
      will: {
        topic: 'w/t',
        payload: Buffer.from('bye'),
        qos: 1,
        retain: false,
        properties: willPropertiesToWire(w),
      },
    };
    const back = roundTrip(packet);
    expect(back.properties).toMatchObject({
      sessionExpiryInterval: 3600,
      receiveMaximum: 20,
      maximumPacketSize: 4096,
      topicAliasMaximum: 8,
      requestResponseInformation: true,
      requestProblemInformation: false,
      authenticationMethod: 'SCRAM-SHA-1',
      authenticationData: Buffer.from([1, 2, 3]),
    });
    expect(userPropertiesFromWire(back.properties?.userProperties).toArray()).toEqual([
      ['app', 'test'],
      ['app', 'two'],
    ]);
    expect(back.will?.properties).toMatchObject({
      willDelayInterval: 5,
      payloadFormatIndicator: true,
      messageExpiryInterval: 60,
      contentType: 'text/plain',
      responseTopic: 'will/reply',
      correlationData: Buffer.from('corr'),
      userProperties: { w: '1' },
    });
  });
});

describe('CONNACK → QMqttServerConnectionProperties', () => {
  it('every property round-trips with its ServerPropertyDetail bit', () => {
    const back = roundTrip<mqtt.IConnackPacket>({
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: {
        sessionExpiryInterval: 120,
        receiveMaximum: 10,
        maximumQoS: 1,
        retainAvailable: false,
        maximumPacketSize: 2048,
        assignedClientIdentifier: 'auto-42',
        topicAliasMaximum: 5,
        reasonString: 'welcome',
        userProperties: { s: 'v' },
        wildcardSubscriptionAvailable: false,
        subscriptionIdentifiersAvailable: false,
        sharedSubscriptionAvailable: false,
        serverKeepAlive: 30,
        responseInformation: 'resp/',
        serverReference: 'other:1883',
        authenticationMethod: 'M',
        authenticationData: Buffer.from('d'),
      },
    });
    expect(connackPropertiesProblem(back.properties)).toBeNull();
    const s = serverPropertiesFromConnack(back.properties, back.reasonCode);
    expect(s.isValid()).toBe(true);
    expect(s.availableProperties()).toBe(0x3fff7);
    expect(s.sessionExpiryInterval()).toBe(120);
    expect(s.maximumReceive()).toBe(10);
    expect(s.maximumQoS()).toBe(1);
    expect(s.retainAvailable()).toBe(false);
    expect(s.maximumPacketSize()).toBe(2048);
    expect(s.clientIdAssigned()).toBe(true);
    expect(s.assignedClientIdentifier()).toBe('auto-42');
    expect(s.maximumTopicAlias()).toBe(5);
    expect(s.reason()).toBe('welcome');
    expect(s.userProperties().toArray()).toEqual([['s', 'v']]);
    expect(s.wildcardSupported()).toBe(false);
    expect(s.subscriptionIdentifierSupported()).toBe(false);
    expect(s.sharedSubscriptionSupported()).toBe(false);
    expect(s.serverKeepAlive()).toBe(30);
    expect(s.responseInformation()).toBe('resp/');
    expect(s.serverReference()).toBe('other:1883');
    expect(s.authenticationMethod()).toBe('M');
    expect(s.authenticationData().toString()).toBe('d');
  });

  it('a CONNACK without properties gives defaults, valid, with the reason code', () => {
    const back = roundTrip<mqtt.IConnackPacket>({ cmd: 'connack', sessionPresent: false, reasonCode: 0x87 });
    const s = serverPropertiesFromConnack(back.properties, back.reasonCode);
    expect(s.isValid()).toBe(true);
    expect(s.reasonCode()).toBe(0x87);
    expect(s.availableProperties()).toBe(ServerPropertyDetail.None);
    expect(s.maximumQoS()).toBe(2);
    expect(s.maximumReceive()).toBe(65535);
  });

  it('forbidden values are reported by connackPropertiesProblem and left at their defaults', () => {
    expect(connackPropertiesProblem({ receiveMaximum: 0 })).toMatch(/Receive Maximum 0/);
    expect(connackPropertiesProblem({ maximumPacketSize: 0 })).toMatch(/Maximum Packet Size 0/);
    expect(connackPropertiesProblem({ maximumQoS: 2 })).toMatch(/Maximum QoS 2/);
    expect(connackPropertiesProblem({ authenticationData: Buffer.from('x') })).toMatch(
      /without an Authentication Method/,
    );
    expect(connackPropertiesProblem(undefined)).toBeNull();
    const s = serverPropertiesFromConnack({ receiveMaximum: 0, maximumQoS: 2 });
    expect(s.maximumReceive()).toBe(65535);
    expect(s.maximumQoS()).toBe(2);
    expect(s.availableProperties()).toBe(
      ServerPropertyDetail.MaximumReceive | ServerPropertyDetail.MaximumQoS,
    );
  });
});
