import { describe, expect, it } from 'vitest';
import { QMqttAuthenticationProperties, QMqttConnectionProperties } from '../../lib/properties';
import { ClientError, ClientState } from '../../lib/state';
import { scripted, tick } from '../helpers/scripted-client';

describe('MQTT 5 enhanced authentication (scripted broker)', () => {
  it('[MQTT-4.12.0-2] AUTH continue (0x18) → authenticationRequested → authenticate → CONNACK → authenticationFinished, connected', async () => {
    const s = scripted(5);
    const cp = new QMqttConnectionProperties();
    cp.setAuthenticationMethod('SCRAM-SHA-256');
    cp.setAuthenticationData(Buffer.from('client-first'));
    s.client.setConnectionProperties(cp);
    const events: string[] = [];
    s.client.authenticationRequested.connect((p) => {
      events.push(`requested:${p.authenticationMethod()}:${p.authenticationData().toString()}`);
      const answer = new QMqttAuthenticationProperties();
      answer.setAuthenticationMethod('SCRAM-SHA-256');
      answer.setAuthenticationData(Buffer.from('client-final'));
      s.client.authenticate(answer);
    });
    s.client.authenticationFinished.connect((p) =>
      events.push(`finished:${p.authenticationData().toString()}`),
    );
    s.client.connected.connect(() => events.push('connected'));
    const done = s.client.connectToHostAsync();
    const c = await s.broker.expect('connect');
    expect(c.properties?.authenticationMethod).toBe('SCRAM-SHA-256');
    expect(c.properties?.authenticationData?.toString()).toBe('client-first');
    s.broker.send({
      cmd: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'SCRAM-SHA-256', authenticationData: Buffer.from('server-first') },
    });
    const a = await s.broker.expect('auth');
    expect(a.reasonCode).toBe(0x18);
    expect(a.properties?.authenticationData?.toString()).toBe('client-final');
    s.broker.send({
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: { authenticationMethod: 'SCRAM-SHA-256', authenticationData: Buffer.from('server-final') },
    });
    await done;
    expect(events).toEqual(['requested:SCRAM-SHA-256:server-first', 'finished:server-final', 'connected']);
  });

  it('[MQTT-4.12.1-1] re-authentication: authenticate() while connected sends AUTH 0x19; AUTH 0x00 → authenticationFinished', async () => {
    const s = scripted(5);
    const cp = new QMqttConnectionProperties();
    cp.setAuthenticationMethod('TOKEN');
    s.client.setConnectionProperties(cp);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect(false, { authenticationMethod: 'TOKEN' });
    await done;
    const finished: string[] = [];
    s.client.authenticationFinished.connect((p) => finished.push(p.reason()));
    const p = new QMqttAuthenticationProperties();
    p.setAuthenticationMethod('TOKEN');
    p.setAuthenticationData(Buffer.from('new-token'));
    s.client.authenticate(p);
    const a = await s.broker.expect('auth');
    expect(a.reasonCode).toBe(0x19);
    s.broker.send({
      cmd: 'auth',
      reasonCode: 0,
      properties: { authenticationMethod: 'TOKEN', reasonString: 'ok' },
    });
    await tick(5);
    expect(finished).toEqual(['ok']);
    expect(s.client.state()).toBe(ClientState.Connected);
  });

  it('authenticate() does nothing under 3.1.1 or when disconnected (Qt)', async () => {
    const s = scripted(4);
    s.client.authenticate(new QMqttAuthenticationProperties());
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    s.client.authenticate(new QMqttAuthenticationProperties());
    await tick(5);
    expect(s.broker.pending()).toEqual([]);
  });
});

describe('MQTT 5 server DISCONNECT and redirects (scripted broker)', () => {
  const reasons: [number, string][] = [
    [0x8b, 'ServerShuttingDown'],
    [0x8e, 'SessionTakenOver'],
    [0x97, 'QuotaExceeded'],
    [0x98, 'AdministrativeAction'],
    [0x9c, 'UseAnotherServer'],
  ];
  for (const [rc, name] of reasons) {
    it(`[MQTT-3.14] server DISCONNECT ${name} (0x${rc.toString(16)}) → Mqtt5SpecificError with the reason code and string`, async () => {
      const s = scripted(5);
      const done = s.client.connectToHostAsync();
      await s.broker.acceptConnect();
      await done;
      const errors: unknown[] = [];
      s.client.errorOccurred.connect((e) => errors.push(e));
      s.broker.send({ cmd: 'disconnect', reasonCode: rc, properties: { reasonString: `because ${name}` } });
      await tick(10);
      expect(s.client.state()).toBe(ClientState.Disconnected);
      expect(s.client.error()).toBe(ClientError.Mqtt5SpecificError);
      expect(s.client.lastErrorDetail()).toMatchObject({ reasonCode: rc, reasonString: `because ${name}` });
      expect(errors).toHaveLength(1);
      expect(String((errors[0] as Error).message)).toContain(name);
    });
  }

  it('client DISCONNECT with a reason code (0x04: send the will)', async () => {
    const s = scripted(5);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    await s.client.disconnectFromHostAsync(0x04);
    const d = await s.broker.expect('disconnect');
    expect(d.reasonCode).toBe(0x04);
  });

  it('CONNACK 0x9C UseAnotherServer with Server Reference: ServerUnavailable, and the next attempt goes to the reference', async () => {
    const s = scripted(5);
    s.client.setHostname('first.example');
    const done = s.client.connectToHostAsync();
    await s.broker.expect('connect');
    s.broker.send({
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0x9c,
      properties: { serverReference: '127.0.0.1:1' },
    });
    await expect(done).rejects.toMatchObject({
      clientError: ClientError.ServerUnavailable,
      reasonCode: 0x9c,
    });
    expect(s.client.serverConnectionProperties().serverReference()).toBe('127.0.0.1:1');
    // the redirect target is used by the next connect: port 1 on loopback refuses, proving where it went
    const err = (await s.client.connectToHostAsync().catch((e: unknown) => e)) as Error;
    expect(String(err.message)).toMatch(/127\.0\.0\.1:1\b/);
  });
});
