import { describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import { ScriptedBroker } from '../helpers/scripted-broker';
import { ClientError, ClientState, TransportType } from '../../lib/state';
import { QMqttError } from '../../lib/errors';
import { scripted, connectedScripted, tick } from '../helpers/scripted-client';

describe('CONNECT / CONNACK (scripted broker)', () => {
  it('[MQTT-3.1.0-1] sends CONNECT first with the client properties', async () => {
    const { client, broker } = scripted(4);
    client.setUsername('user');
    client.setPassword('secret');
    client.setKeepAlive(30);
    client.setCleanSession(false);
    client.setWillTopic('will/t');
    client.setWillMessage('bye');
    client.setWillQoS(1);
    client.setWillRetain(true);
    const states: ClientState[] = [];
    client.stateChanged.connect((s) => states.push(s));
    const done = client.connectToHostAsync();
    const c = await broker.acceptConnect();
    expect(c.protocolId).toBe('MQTT');
    expect(c.protocolVersion).toBe(4);
    expect(c.clientId).toBe('scripted');
    expect(c.username).toBe('user');
    expect(c.password?.toString()).toBe('secret');
    expect(c.keepalive).toBe(30);
    expect(c.clean).toBe(false);
    expect(c.will).toMatchObject({ topic: 'will/t', qos: 1, retain: true });
    expect(c.will?.payload.toString()).toBe('bye');
    await expect(done).resolves.toBe(false);
    expect(client.state()).toBe(ClientState.Connected);
    expect(states).toEqual([ClientState.Connecting, ClientState.Connected]);
  });

  it('MQTT 3.1 sends protocol name MQIsdp and level 3', async () => {
    const { client, broker } = scripted(3);
    const done = client.connectToHostAsync();
    const c = await broker.acceptConnect();
    expect(c.protocolId).toBe('MQIsdp');
    expect(c.protocolVersion).toBe(3);
    await done;
  });

  it('[MQTT-3.1.2-22] 3.1.1: a password without a user name is refused up front with a clear error, nothing sent', async () => {
    const { client, broker } = scripted(4);
    client.setPassword('only-password');
    await expect(client.connectToHostAsync()).rejects.toThrow(/password without a user name/);
    expect(client.state()).toBe(ClientState.Disconnected);
    await tick(5);
    expect(broker.pending()).toEqual([]);
  });

  const codes: [number, ClientError][] = [
    [1, ClientError.InvalidProtocolVersion],
    [2, ClientError.IdRejected],
    [3, ClientError.ServerUnavailable],
    [4, ClientError.BadUsernameOrPassword],
    [5, ClientError.NotAuthorized],
    [6, ClientError.ProtocolViolation],
  ];
  for (const [code, error] of codes) {
    it(`[MQTT-3.2.2.3] CONNACK return code ${code} → ClientError ${ClientError[error]}`, async () => {
      const { client, broker } = scripted(4);
      const errors: ClientError[] = [];
      client.errorChanged.connect((e) => errors.push(e));
      let disconnected = 0;
      client.disconnected.connect(() => disconnected++);
      const done = client.connectToHostAsync();
      await broker.expect('connect');
      broker.send({ cmd: 'connack', sessionPresent: false, returnCode: code });
      const err = await done.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QMqttError);
      expect((err as QMqttError).clientError).toBe(error);
      expect((err as QMqttError).reasonCode).toBe(code);
      expect(client.error()).toBe(error);
      expect(errors).toEqual([error]);
      expect(client.state()).toBe(ClientState.Disconnected);
      expect(disconnected).toBe(1);
      await tick(5);
      expect(broker.closed).toBe(true);
    });
  }

  it('brokerSessionRestored fires for cleanSession false and session present', async () => {
    const { client, broker } = scripted(4);
    client.setCleanSession(false);
    let restored = 0;
    client.brokerSessionRestored.connect(() => restored++);
    const done = client.connectToHostAsync();
    await broker.acceptConnect(true);
    await expect(done).resolves.toBe(true);
    expect(restored).toBe(1);
  });

  it('[MQTT-3.14.4-1] disconnectFromHost sends DISCONNECT and closes the connection', async () => {
    const { client, broker } = await connectedScripted(4);
    let disconnected = 0;
    client.disconnected.connect(() => disconnected++);
    await client.disconnectFromHostAsync();
    await broker.expect('disconnect');
    await tick(5);
    expect(broker.closed).toBe(true);
    expect(client.state()).toBe(ClientState.Disconnected);
    expect(client.error()).toBe(ClientError.NoError);
    expect(disconnected).toBe(1);
  });

  it('[MQTT-3.1.3-3] without setClientId: a random 23-character id (Qt), the same on every read and in CONNECT', async () => {
    const a = new QMqttClient();
    const b = new QMqttClient();
    const id = a.clientId();
    expect(id).toMatch(/^[0-9a-f]{23}$/);
    expect(a.clientId()).toBe(id);
    expect(b.clientId()).not.toBe(id);
    const broker = new ScriptedBroker(4);
    a.setTransport(broker.clientSide, TransportType.IODevice);
    const done = a.connectToHostAsync();
    expect((await broker.acceptConnect()).clientId).toBe(id);
    await done;
    // a client whose id is read only when it connects gets one too
    const fresh = new QMqttClient();
    const broker2 = new ScriptedBroker(4);
    fresh.setTransport(broker2.clientSide, TransportType.IODevice);
    const done2 = fresh.connectToHostAsync();
    const sent = (await broker2.acceptConnect()).clientId;
    await done2;
    expect(sent).toMatch(/^[0-9a-f]{23}$/);
    expect(fresh.clientId()).toBe(sent);
    await a.disconnectFromHostAsync();
    await fresh.disconnectFromHostAsync();
  });

  it('setters are ignored while connected (Qt setter guard) and xChanged fires only on change', async () => {
    const { client } = await connectedScripted(4);
    const seen: string[] = [];
    client.clientIdChanged.connect((id) => seen.push(id));
    client.setClientId('other');
    expect(client.clientId()).toBe('scripted');
    await client.disconnectFromHostAsync();
    client.setClientId('other');
    client.setClientId('other');
    expect(seen).toEqual(['other']);
  });

  it('a lost connection gives TransportInvalid and disconnected', async () => {
    const { client, broker } = await connectedScripted(4);
    const done = new Promise<void>((r) => client.disconnected.connect(() => r()));
    broker.drop();
    await done;
    expect(client.error()).toBe(ClientError.TransportInvalid);
    expect(client.state()).toBe(ClientState.Disconnected);
  });

  it('connectToHost without hostname or transport fails with TransportInvalid', async () => {
    const { QMqttClient } = await import('../../lib/client');
    const client = new QMqttClient();
    const err = await client.connectToHostAsync().catch((e: unknown) => e);
    expect((err as QMqttError).clientError).toBe(ClientError.TransportInvalid);
    expect(client.error()).toBe(ClientError.TransportInvalid);
    expect(client.state()).toBe(ClientState.Disconnected);
  });
});
