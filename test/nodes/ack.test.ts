import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAedes, type AedesBroker } from '../helpers/aedes';
import { connected } from './helpers/flows';
import { brokerNode, collect, helper, qmqttNodes, uniqueTopic, until } from './helpers/node-red';

describe('qmqtt-out completes only on the broker acknowledgement', () => {
  let aedes: AedesBroker;
  const held: { topic: string; release: (err?: Error) => void }[] = [];
  beforeAll(async () => {
    // the broker answers PUBACK only when the test calls release()
    aedes = await startAedes({
      aedes: {
        authorizePublish: (_client, packet, cb) => {
          if (packet.topic.startsWith('qmqtt-test/'))
            held.push({ topic: packet.topic, release: (e) => cb(e ?? null) });
          else cb(null);
        },
      },
    });
  });
  afterAll(async () => {
    await helper.unload();
    await aedes.stop();
  });

  it('calls done (Complete) after PUBACK, and done(err) (Catch) when it cannot publish', async () => {
    const topic = uniqueTopic('held');
    await helper.load(qmqttNodes, [
      brokerNode('b1', aedes.host, aedes.port),
      { id: 'o', type: 'qmqtt-out', broker: 'b1', topic, qos: '1', retain: '', wires: [['ack'], []] },
      { id: 'ack', type: 'helper' },
      { id: 'done', type: 'complete', scope: ['o'], uncaught: false, wires: [['completed']] },
      { id: 'completed', type: 'helper' },
      { id: 'c', type: 'catch', scope: ['o'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const completed = collect(helper.getNode('completed'));
    const caught = collect(helper.getNode('caught'));
    await connected('b1');
    helper.getNode('o')!.receive({ payload: 'first' });
    await until(() => held.length === 1, 'the broker holding the PUBLISH');
    // the broker has the message but has not acknowledged it: nothing may be complete yet
    expect(completed).toHaveLength(0);
    held[0]!.release();
    await until(() => completed.length === 1, 'Complete after PUBACK');
    expect(completed[0]!.payload).toBe('first');

    // not connected (and no automatic reconnect): the publish fails at once, through done(err)
    helper.getNode('o')!.receive({ action: 'disconnect' });
    await until(() => completed.length === 2, 'the disconnect action completed');
    helper.getNode('o')!.receive({ payload: 'nowhere' });
    await until(() => caught.length === 1, 'Catch for a publish while disconnected');
    expect((caught[0]!.error as { message: string }).message).toMatch(/not connected/i);
    expect(completed).toHaveLength(2);
  });

  it('with nothing wired to its outputs, sends nothing but still completes with the acknowledgement', async () => {
    await helper.unload();
    const topic = uniqueTopic('unwired');
    await helper.load(qmqttNodes, [
      brokerNode('b1', aedes.host, aedes.port),
      { id: 'o', type: 'qmqtt-out', broker: 'b1', topic, qos: '1', retain: '', wires: [[], []] },
      { id: 'done', type: 'complete', scope: ['o'], uncaught: false, wires: [['completed']] },
      { id: 'completed', type: 'helper' },
    ]);
    const completed = collect(helper.getNode('completed'));
    await connected('b1');
    const out = helper.getNode('o')!;
    const send = vi.spyOn(out as unknown as { send: (m: unknown) => void }, 'send');
    held.length = 0;
    out.receive({ payload: 'quiet' });
    await until(() => held.length === 1, 'the broker holding the PUBLISH');
    expect(completed).toHaveLength(0);
    held[0]!.release();
    await until(() => completed.length === 1, 'Complete after PUBACK');
    // the msg Complete sees carries the acknowledgement, as when output 1 is wired
    expect(completed[0]).toMatchObject({ payload: 'quiet', reasonCode: 0 });
    expect(completed[0]!.messageId).toBeGreaterThan(0);
    expect(send).not.toHaveBeenCalled();
  });
});
