import { describe, expect, it } from 'vitest';
import { ClientError, ClientState } from '../../lib/state';
import { connectedScripted, scripted, tick } from '../helpers/scripted-client';

async function waitDisconnected(client: { state(): ClientState }): Promise<void> {
  for (let i = 0; i < 50 && client.state() !== ClientState.Disconnected; i++) await tick(2);
}

describe('malformed and unexpected packets (scripted broker)', () => {
  it('[MQTT-2.2.2-2] reserved fixed-header flags close the connection with ProtocolViolation', async () => {
    const { client, broker } = await connectedScripted(4);
    broker.sendRaw([0x41, 0x02, 0x00, 0x01]); // PUBACK with flags 0001
    await waitDisconnected(client);
    expect(client.error()).toBe(ClientError.ProtocolViolation);
    await tick(5);
    expect(broker.closed).toBe(true);
  });

  it('[MQTT-3.2.0-1] a packet other than CONNACK first is a protocol violation', async () => {
    const { client, broker } = scripted(4);
    const done = client.connectToHostAsync();
    await broker.expect('connect');
    broker.send({ cmd: 'pingresp' });
    await expect(done).rejects.toMatchObject({ clientError: ClientError.ProtocolViolation });
  });

  it('[MQTT-3.14] DISCONNECT from a 3.1.1 server is a protocol violation', async () => {
    const { client, broker } = await connectedScripted(4);
    broker.sendRaw([0xe0, 0x00]);
    await waitDisconnected(client);
    expect(client.error()).toBe(ClientError.ProtocolViolation);
  });

  it('packets only a client may send (SUBSCRIBE) from the server close the connection', async () => {
    const { client, broker } = await connectedScripted(4);
    broker.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'x', qos: 0 }] });
    await waitDisconnected(client);
    expect(client.error()).toBe(ClientError.ProtocolViolation);
  });

  it('session state survives a protocol violation: in-flight messages are re-sent on the next connect', async () => {
    const s = scripted(4);
    s.client.setCleanSession(false);
    const c = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await c;
    const p = s.client.publishAsync('keep', 'me', 1);
    await s.broker.expect('publish');
    s.broker.sendRaw([0x30, 0x7f]); // truncated PUBLISH header claiming 127 bytes, then garbage type
    s.broker.sendRaw(Buffer.alloc(127, 0xff));
    await waitDisconnected(s.client);
    const broker2 = s.reconnect();
    const c2 = s.client.connectToHostAsync();
    await broker2.acceptConnect(true);
    await c2;
    const again = await broker2.expect('publish');
    expect(again).toMatchObject({ topic: 'keep', dup: true, messageId: 1 });
    broker2.send({ cmd: 'puback', messageId: 1 });
    await expect(p).resolves.toMatchObject({ id: 1 });
  });

  it('a listener that throws does not break the client or other listeners', async () => {
    const { Signal } = await import('../../lib/signal');
    const reported: unknown[] = [];
    const previous = Signal.onListenerError((e) => reported.push(e));
    try {
      const { client, broker } = await connectedScripted(4);
      let second = 0;
      client.messageReceived.connect(() => {
        throw new Error('boom');
      });
      client.messageReceived.connect(() => second++);
      broker.send({
        cmd: 'publish',
        topic: 't',
        payload: Buffer.from('x'),
        qos: 1,
        messageId: 1,
        retain: false,
        dup: false,
      });
      await broker.expect('puback');
      expect(second).toBe(1);
      expect(reported).toHaveLength(1);
      expect(client.state()).toBe(ClientState.Connected);
    } finally {
      Signal.onListenerError(previous);
    }
  });
});

describe('MQTT 5: a malformed packet is answered with DISCONNECT before the close (scripted broker)', () => {
  it('[MQTT-4.13.1-1] reserved flags on PUBACK → DISCONNECT 0x81, then ProtocolViolation', async () => {
    const s = scripted(5);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    s.broker.sendRaw([0x41, 0x02, 0x00, 0x01]);
    const d = await s.broker.expect('disconnect');
    expect(d.reasonCode).toBe(0x81);
    await waitDisconnected(s.client);
    expect(s.client.error()).toBe(ClientError.ProtocolViolation);
    expect(s.client.lastErrorDetail()?.reasonCode).toBe(0x81);
  });

  it('[MQTT-2.2.1-3] PUBLISH QoS 1 with packet id 0 → DISCONNECT 0x82', async () => {
    const s = scripted(5);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    s.broker.sendRaw([0x32, 0x06, 0x00, 0x01, 0x74, 0x00, 0x00, 0x00]);
    const d = await s.broker.expect('disconnect');
    expect(d.reasonCode).toBe(0x82);
  });
});
