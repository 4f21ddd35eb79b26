/**
 * `qmqtt-broker` with "keep messages across restarts": QoS 1/2 messages a flow published that never reached the
 * broker are kept in `<userDir>/qmqtt-sessions/<id>.log` and sent when Node-RED starts again (here: the runtime
 * stops and starts the same flow), against a real mosquitto. QoS 0 is not kept; without the option nothing is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import { makeTempDir } from '../helpers/cleanup';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { waitFor } from '../helpers/wait';
import { clientOf } from './helpers/flows';
import { brokerNode, helper, qmqttNodes, uniqueTopic, type FlowNode } from './helpers/node-red';

describe('qmqtt-broker: a session file keeps messages across a restart of Node-RED', () => {
  let b: MosquittoBroker;
  let watcher: QMqttClient;
  const got: string[] = [];
  const base = uniqueTopic('persist');
  beforeAll(async () => {
    b = await startMosquitto();
    watcher = new QMqttClient();
    watcher.setHostname(b.host);
    watcher.setPort(b.port);
    await watcher.connectToHostAsync();
    const sub = await watcher.subscribeAsync(`${base}/#`, 1);
    sub.messageReceived.connect((m) => got.push(`${m.topic().name()}=${m.payload().toString()}`));
  });
  afterAll(async () => {
    await watcher.disconnectFromHostAsync();
    await b.stop();
  });
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  const flow = (persistSession: boolean, autoConnect: boolean): FlowNode[] => [
    brokerNode('b1', b.host, b.port, {
      persistSession,
      autoConnect,
      autoReconnect: true,
      clientid: `persist-${persistSession}-${process.pid}`,
      cleansession: false,
    }),
    { id: 'out', type: 'qmqtt-out', broker: 'b1', topic: '', qos: '', retain: '', wires: [[], []] },
  ];

  it('a msg beyond the offline queue limit fails with a clear error to Catch nodes; the queued ones stay', async () => {
    await helper.load(qmqttNodes, [
      ...flow(false, false).map((n) => (n.id === 'b1' ? { ...n, offlineQueueMessages: '2' } : n)),
      { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const caught: { error: { message: string }; payload: unknown }[] = [];
    helper.getNode('caught')!.on('input', (m) => caught.push(m as (typeof caught)[number]));
    for (const payload of ['a', 'b', 'c'])
      helper.getNode('out')!.receive({ topic: `${base}/limit`, payload, qos: 1 });
    await waitFor(() => caught.length === 1, 'the error of the third msg');
    expect(caught[0]!.error.message).toMatch(/offline queue is full \(2 messages/);
    expect(caught[0]!.payload).toBe('c');
    expect(clientOf('b1').queuedMessageCount()).toBe(2);
  });

  it.each([true, false])('persistSession %s', async (persist) => {
    const userDir = makeTempDir('qmqtt-userdir-');
    helper.settings({ userDir });
    // not connected ("connect on msg.action"): the messages wait in the client's offline queue
    await helper.load(qmqttNodes, flow(persist, false));
    const topic = `${base}/${persist}`;
    for (const [payload, qos] of [
      ['one', 1],
      ['two', 2],
      ['zero', 0],
      ['three', 1],
    ] as const)
      helper.getNode('out')!.receive({ topic, payload, qos });
    await new Promise((r) => setTimeout(r, 100));
    await helper.unload(); // Node-RED stops before anything was sent
    const file = path.join(userDir, 'qmqtt-sessions', 'b1.log');
    expect(fs.existsSync(file)).toBe(persist);
    expect(got.filter((g) => g.startsWith(topic))).toEqual([]);

    await helper.load(qmqttNodes, flow(persist, true)); // Node-RED starts again and connects
    if (persist) {
      await waitFor(() => got.filter((g) => g.startsWith(topic)).length === 3, 'the kept messages');
      // in publish order per QoS (mosquitto passes a QoS 2 message on at PUBREL, so 'two' may come last)
      const kept = got.filter((g) => g.startsWith(topic));
      expect(kept.filter((g) => !g.endsWith('=two'))).toEqual([`${topic}=one`, `${topic}=three`]);
      expect(kept).toContain(`${topic}=two`);
    } else {
      await new Promise((r) => setTimeout(r, 300));
      expect(got.filter((g) => g.startsWith(topic))).toEqual([]);
    }
  });
});
