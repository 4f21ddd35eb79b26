import { describe, expect, it } from 'vitest';
import { parseBrokerConfig, parseInConfig, parseOutConfig } from '../../nodes/shared/config';
import { CONFIG_VERSION, migrateBrokerConfig, migrateInConfig } from '../../nodes/shared/migrations';
import { decodePayload, encodePayload } from '../../nodes/shared/payload';

const base = { id: 'b', type: 'qmqtt-broker' };

describe('node configuration', () => {
  it('parses a broker config with defaults for everything left out', () => {
    const c = parseBrokerConfig(migrateBrokerConfig({ ...base, broker: 'example.org' }));
    expect(c).toMatchObject({
      host: 'example.org',
      port: 1883,
      transport: 'tcp',
      wsPath: '/mqtt',
      protocolVersion: 4,
      keepAlive: 60,
      autoKeepAlive: true,
      cleanSession: true,
      autoConnect: true,
      autoReconnect: true,
      reconnectDelay: 1000,
      maxReconnectDelay: 60000,
      connectTimeout: 30000,
      will: undefined,
      birth: undefined,
      close: undefined,
    });
  });

  it('migrates a core mqtt-broker config (URL broker, usetls, compatmode) to version 1', () => {
    const m = migrateBrokerConfig({
      ...base,
      broker: 'wss://h.example:8443/ws',
      usetls: true,
      compatmode: true,
    });
    expect(m).toMatchObject({
      configVersion: CONFIG_VERSION,
      broker: 'h.example',
      port: 8443,
      transport: 'wss',
      wsPath: '/ws',
      protocolVersion: 4,
    });
    expect(m).not.toHaveProperty('usetls');
    expect(migrateBrokerConfig({ ...base, broker: 'h', usetls: 'true' })).toMatchObject({ transport: 'tls' });
    expect(parseBrokerConfig(migrateBrokerConfig({ ...base, broker: 'h', usetls: true })).port).toBe(8883);
    expect(migrateInConfig({ id: 'i', type: 'qmqtt-in', topic: 'a' }).datatype).toBe('utf8'); // core's runtime default
    expect(() => migrateBrokerConfig({ ...base, configVersion: CONFIG_VERSION + 1 })).toThrow(/newer/);
  });

  it('offline queue limits: defaults 1000 messages / 16 MiB, anything else names the field', () => {
    const parse = (extra: Record<string, string>) =>
      parseBrokerConfig({ ...base, configVersion: 1, broker: 'h', ...extra });
    expect(parse({})).toMatchObject({ offlineQueueMessages: 1000, offlineQueueBytes: 16_777_216 });
    expect(parse({ offlineQueueMessages: '0', offlineQueueBytes: '1024' })).toMatchObject({
      offlineQueueMessages: 0,
      offlineQueueBytes: 1024,
    });
    expect(() => parse({ offlineQueueMessages: '-1' })).toThrow(/offlineQueueMessages/);
    expect(() => parse({ offlineQueueBytes: 'lots' })).toThrow(/offlineQueueBytes/);
  });

  it('maxInflight: empty is the client default, 1…65535 is applied, anything else names the field', () => {
    const parse = (maxInflight: string | number | undefined) =>
      parseBrokerConfig({ ...base, configVersion: 1, broker: 'h', maxInflight });
    expect(parse('').maxInflight).toBeUndefined();
    expect(parse(undefined).maxInflight).toBeUndefined();
    expect(parse('100').maxInflight).toBe(100);
    expect(parse(65535).maxInflight).toBe(65535);
    for (const bad of ['0', '65536', 'many', 1.5]) expect(() => parse(bad)).toThrow(/maxInflight/);
  });

  it('tcpQuickAck: on unless the flow says false (flows saved before the setting existed get it)', () => {
    const parse = (tcpQuickAck: string | boolean | undefined) =>
      parseBrokerConfig({ ...base, configVersion: 1, broker: 'h', tcpQuickAck });
    expect(parse(undefined).tcpQuickAck).toBe(true);
    expect(parse(true).tcpQuickAck).toBe(true);
    expect(parse(false).tcpQuickAck).toBe(false);
    expect(parse('false').tcpQuickAck).toBe(false);
  });

  it('reads MQTT 5 settings only under MQTT 5 and rejects invalid values naming the field', () => {
    const v5 = parseBrokerConfig({
      ...base,
      configVersion: 1,
      broker: 'h',
      protocolVersion: '5',
      sessionExpiry: '3600',
      receiveMaximum: '10',
      userProps: '{"a":"1"}',
      willTopic: 'w',
      willMsg: { delay: '5', contentType: 'text/plain' },
    });
    expect(v5).toMatchObject({ sessionExpiry: 3600, receiveMaximum: 10, userProperties: { a: '1' } });
    expect(v5.will).toMatchObject({ topic: 'w', willDelayInterval: 5, contentType: 'text/plain' });
    const v4 = parseBrokerConfig({
      ...base,
      configVersion: 1,
      broker: 'h',
      sessionExpiry: '3600',
      userProps: '{"a":"1"}',
    });
    expect(v4).toMatchObject({ sessionExpiry: 0, userProperties: {} });
    expect(() => parseBrokerConfig({ ...base, configVersion: 1, port: 70000 })).toThrow(
      /port must be an integer from 0 to 65535/,
    );
    expect(() => parseBrokerConfig({ ...base, configVersion: 1, transport: 'udp' })).toThrow(/transport/);
    expect(() =>
      parseBrokerConfig({ ...base, configVersion: 1, protocolVersion: '5', userProps: '{bad' }),
    ).toThrow(/userProps is not valid JSON/);
    expect(() =>
      parseBrokerConfig({ ...base, configVersion: 1, protocolVersion: '5', receiveMaximum: '0' }),
    ).toThrow(/receiveMaximum/);
    expect(() => parseInConfig({ id: 'i', type: 'qmqtt-in', datatype: 'xml' })).toThrow(/datatype/);
    expect(parseOutConfig({ id: 'o', type: 'qmqtt-out', qos: '', retain: '' })).toMatchObject({
      qos: undefined,
      retain: undefined,
    });
  });

  it('converts payloads both ways', () => {
    expect(encodePayload({ a: 1 })).toEqual(Buffer.from('{"a":1}'));
    expect(encodePayload(12.5)).toEqual(Buffer.from('12.5'));
    expect(encodePayload(null)).toEqual(Buffer.alloc(0));
    expect(() => encodePayload(10n)).toThrow(/cannot be/);
    expect(() => encodePayload(() => 1)).toThrow(/cannot be published/);
    expect(decodePayload(Buffer.from([0xc3, 0x28]), 'auto-detect')).toEqual(Buffer.from([0xc3, 0x28]));
    expect(decodePayload(Buffer.from('[1,2]'), 'auto-detect')).toEqual([1, 2]);
    expect(decodePayload(Buffer.from('[1,2]'), 'auto')).toBe('[1,2]');
    expect(decodePayload(Buffer.from('7'), 'auto-detect', { contentType: 'text/plain' })).toBe('7');
    expect(() => decodePayload(Buffer.from('nope'), 'json')).toThrow(/not valid JSON/);
    expect(() =>
      decodePayload(Buffer.from('nope'), 'auto-detect', { contentType: 'application/json' }),
    ).toThrow(/application\/json/);
  });
});
