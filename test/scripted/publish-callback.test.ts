/**
 * `publishWithCallback` (internal, used by qmqtt-out): the callback form of publishAsync. It must settle
 * exactly like the promise — once, after the exchange's signals, with the outcome or a typed error — since
 * qmqtt-out's second output and its Complete / Catch behaviour depend on it.
 */
import { describe, expect, it } from 'vitest';
import { QMqttError, QMqttInvalidArgumentError, QMqttNotConnectedError } from '../../lib/errors';
import { QMqttClient } from '../../lib/client';
import { MessageStatus } from '../../lib/state';
import type { PublishResult } from '../../lib';
import { connectedScripted, tick } from '../helpers/scripted-client';

type Call = [Error | null, PublishResult | undefined];

function recorder(): { calls: Call[]; cb: (e: Error | null, o?: PublishResult) => void } {
  const calls: Call[] = [];
  return { calls, cb: (e, o) => calls.push([e, o]) };
}

describe('publishWithCallback (scripted broker)', () => {
  it('[MQTT-4.3.2] QoS 1: called once on PUBACK with the outcome, after messageStatusChanged and messageSent', async () => {
    const { client, broker } = await connectedScripted();
    const order: string[] = [];
    client.messageStatusChanged.connect((id, s) => order.push(`status ${id} ${MessageStatus[s]}`));
    client.messageSent.connect((id) => order.push(`sent ${id}`));
    const r = recorder();
    client.publishWithCallback('t', undefined, 'x', 1, false, (e, o) => {
      order.push('callback');
      r.cb(e, o);
    });
    const p = await broker.expect('publish');
    expect(p).toMatchObject({ topic: 't', qos: 1, messageId: 1 });
    await tick();
    expect(r.calls).toEqual([]); // not before the PUBACK
    broker.send({ cmd: 'puback', messageId: 1 });
    await tick();
    expect(r.calls).toEqual([[null, expect.objectContaining({ id: 1, reasonCode: 0 })]]);
    expect(order).toEqual(['status 1 Acknowledged', 'sent 1', 'callback']);
  });

  it('[MQTT-4.3.3] QoS 2: called on PUBCOMP, not on PUBREC', async () => {
    const { client, broker } = await connectedScripted();
    const r = recorder();
    client.publishWithCallback('t', undefined, Buffer.from('x'), 2, true, r.cb);
    const p = await broker.expect('publish');
    expect(p).toMatchObject({ qos: 2, retain: true });
    broker.send({ cmd: 'pubrec', messageId: p.messageId! });
    await broker.expect('pubrel');
    expect(r.calls).toEqual([]);
    broker.send({ cmd: 'pubcomp', messageId: p.messageId! });
    await tick();
    expect(r.calls).toEqual([[null, expect.objectContaining({ id: p.messageId })]]);
  });

  it('[MQTT-4.3.1] QoS 0: called once the PUBLISH is written, with id 0', async () => {
    const { client, broker } = await connectedScripted();
    const r = recorder();
    client.publishWithCallback('t', undefined, 'x', 0, false, r.cb);
    await broker.expect('publish');
    await tick();
    expect(r.calls).toEqual([[null, { id: 0, reasonCode: 0 }]]);
  });

  it('invalid topic or QoS: a typed error, not synchronously, and nothing is sent', async () => {
    const { client, broker } = await connectedScripted();
    const r = recorder();
    client.publishWithCallback('a/+', undefined, 'x', 1, false, r.cb);
    client.publishWithCallback('t', undefined, 'x', 3, false, r.cb);
    expect(r.calls).toEqual([]);
    await tick();
    expect(r.calls).toHaveLength(2);
    for (const [e, o] of r.calls) {
      expect(e).toBeInstanceOf(QMqttInvalidArgumentError);
      expect(o).toBeUndefined();
    }
    expect(r.calls[0]![0]!.message).toMatch(/wildcard|\+/i);
    expect(r.calls[1]![0]!.message).toMatch(/QoS must be 0, 1 or 2/);
    client.publish('marker', 'm', 0);
    expect((await broker.expect('publish')).topic).toBe('marker');
  });

  it('not connected: QMqttNotConnectedError', async () => {
    const client = new QMqttClient();
    const r = recorder();
    client.publishWithCallback('t', undefined, 'x', 1, false, r.cb);
    await tick();
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]![0]).toBeInstanceOf(QMqttNotConnectedError);
  });

  it('MQTT 5: a PUBACK with a failure reason code calls back with a QMqttError carrying the code', async () => {
    const { client, broker } = await connectedScripted(5);
    const r = recorder();
    client.publishWithCallback('t', undefined, 'x', 1, false, r.cb);
    const p = await broker.expect('publish');
    broker.send({
      cmd: 'puback',
      messageId: p.messageId!,
      reasonCode: 0x87,
      properties: { reasonString: 'no' },
    });
    await tick();
    expect(r.calls).toHaveLength(1);
    const [e] = r.calls[0]!;
    expect(e).toBeInstanceOf(QMqttError);
    expect((e as QMqttError).reasonCode).toBe(0x87);
  });
});
