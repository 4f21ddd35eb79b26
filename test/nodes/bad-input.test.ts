/**
 * Node-RED bad input (issue 8): what a broker refuses and what a flow gets wrong reaches the flow author as a
 * clear `node.error(err, msg)`, the connection and the flow keep running, and no password reaches a log, a
 * status or an error. Against a real mosquitto with a packet size limit and a password file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/cleanup';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { connected } from './helpers/flows';
import {
  brokerNode,
  collect,
  helper,
  qmqttNodes,
  uniqueTopic,
  until,
  type FlowNode,
  type TestNode,
} from './helpers/node-red';

const PASSWORD = 'pa55-w0rd-never-logged';
const WRONG = 'wr0ng-pa55-never-logged';

describe('bad input and refusals in flows, against mosquitto', () => {
  let b: MosquittoBroker;
  beforeAll(async () => {
    const dir = makeTempDir('qmqtt-passwd-');
    const file = path.join(dir, 'passwd');
    execFileSync('mosquitto_passwd', ['-b', '-c', file, 'flow-user', PASSWORD]);
    fs.chmodSync(file, 0o600);
    b = await startMosquitto({ extraConfig: `password_file ${file}\nmax_packet_size 2048` });
  });
  afterAll(async () => {
    await b.stop();
  });
  afterEach(async () => {
    await helper.unload();
  });

  const flow = (version: '4' | '5'): FlowNode[] => [
    brokerNode('b1', b.host, b.port, { protocolVersion: version }),
    { id: 'out', type: 'qmqtt-out', broker: 'b1', topic: '', qos: '', retain: '', wires: [['ack'], []] },
    { id: 'ack', type: 'helper' },
    { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];

  /** Everything Node-RED logged, every error and status of our nodes, as one text. */
  function everythingSaid(nodes: string[]): () => string {
    const said: unknown[] = [];
    for (const id of nodes) {
      const n = helper.getNode(id) as TestNode;
      for (const ev of ['call:error', 'call:warn', 'call:log', 'call:status'])
        n.on(ev, (call: { args: unknown[] }) => said.push(call.args));
    }
    return () => {
      const logged = (helper as unknown as { log(): { args: unknown[][] } }).log().args;
      return JSON.stringify([said, logged], (_k, v: unknown) => (v instanceof Error ? v.message : v));
    };
  }

  it('MQTT 5 [MQTT-3.2.2-15]: a payload over the broker Maximum Packet Size is a clear error; the next msg goes out', async () => {
    await helper.load(qmqttNodes, flow('5'), { b1: { user: 'flow-user', password: PASSWORD } });
    const said = everythingSaid(['b1', 'out']);
    const caught = collect(helper.getNode('caught'));
    const ack = collect(helper.getNode('ack'));
    const client = await connected('b1');
    const t = uniqueTopic('big');
    helper.getNode('out')!.receive({ topic: t, payload: Buffer.alloc(4000), qos: 1, _msgid: 'big-one' });
    await until(() => caught.length === 1, 'the error of the oversized msg');
    const err = caught[0]!.error as { message: string };
    expect(err.message).toMatch(/Maximum Packet Size is 2048/);
    expect(caught[0]!._msgid).toBe('big-one');
    helper.getNode('out')!.receive({ topic: t, payload: 'small', qos: 1 });
    await until(() => ack.length === 1, 'the next msg acknowledged');
    expect(client.state()).toBe(2);
    expect(said()).not.toContain(PASSWORD);
  });

  it.each(['4', '5'] as const)(
    'level %s: a wrong password is refused by the broker; the password appears in no log, status or error',
    async (version) => {
      await helper.load(qmqttNodes, flow(version), { b1: { user: 'flow-user', password: WRONG } });
      const said = everythingSaid(['b1', 'out']);
      const caught = collect(helper.getNode('caught'));
      helper.getNode('out')!.receive({ topic: uniqueTopic('pw'), payload: 'x', qos: 1 });
      const refusal = version === '5' ? /NotAuthorized \(0x87\)/ : /not authorized \(return code 5\)/;
      await until(() => refusal.test(said()), 'the refusal in the status and the log');
      expect(said()).not.toContain(WRONG);
      expect(JSON.stringify(caught)).not.toContain(WRONG);
    },
  );
});
