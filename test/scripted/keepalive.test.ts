import { describe, expect, it } from 'vitest';
import { ClientError, ClientState } from '../../lib/state';
import { FakeClock } from '../helpers/fake-clock';
import { connectedScripted, scripted, tick } from '../helpers/scripted-client';

describe('keepalive (fake clock, scripted broker)', () => {
  it('[MQTT-3.1.2-23] automatic PINGREQ after keepAlive seconds idle; PINGRESP → pingResponseReceived', async () => {
    const clock = new FakeClock();
    const s = scripted(4, { clock });
    s.client.setKeepAlive(10);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    let pongs = 0;
    s.client.pingResponseReceived.connect(() => pongs++);
    clock.advance(9_999);
    await tick(5);
    expect(s.broker.pending()).toEqual([]);
    clock.advance(1);
    await s.broker.expect('pingreq');
    s.broker.send({ cmd: 'pingresp' });
    await tick(5);
    expect(pongs).toBe(1);
    expect(s.client.state()).toBe(ClientState.Connected);
  });

  it('traffic postpones the automatic ping', async () => {
    const clock = new FakeClock();
    const s = scripted(4, { clock });
    s.client.setKeepAlive(10);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    clock.advance(6_000);
    s.client.publish('t', 'x');
    await s.broker.expect('publish');
    clock.advance(6_000);
    await tick(5);
    expect(s.broker.pending()).toEqual([]);
    clock.advance(4_000);
    await s.broker.expect('pingreq');
  });

  it('a broker that stops answering PINGREQ is detected: TransportInvalid, Disconnected', async () => {
    const clock = new FakeClock();
    const s = scripted(4, { clock });
    s.client.setKeepAlive(10);
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    clock.advance(10_000);
    await s.broker.expect('pingreq');
    clock.advance(10_000);
    await tick(5);
    expect(s.client.state()).toBe(ClientState.Disconnected);
    expect(s.client.error()).toBe(ClientError.TransportInvalid);
  });

  it('requestPing fails while autoKeepAlive is on (Qt) and works when it is off', async () => {
    const on = await connectedScripted(4);
    expect(on.client.requestPing()).toBe(false);
    const s = scripted(4);
    s.client.setAutoKeepAlive(false);
    expect(s.client.requestPing()).toBe(false); // not connected
    const done = s.client.connectToHostAsync();
    await s.broker.acceptConnect();
    await done;
    expect(s.client.requestPing()).toBe(true);
    await s.broker.expect('pingreq');
  });
});
