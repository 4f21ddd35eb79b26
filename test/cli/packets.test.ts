/**
 * What the flags put on the wire: a small recording broker on a free TCP port decodes the packets qmqtt sends
 * (mqtt-packet) and answers with what each test scripts — CONNECT fields and properties, will, SUBSCRIBE options,
 * and refusals (SUBACK / PUBACK failure codes) that must end in exit 1 with the reason.
 */
import net from 'node:net';
import mqtt from 'mqtt-packet';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli, startCli, SUBSCRIBED } from './helpers';

type Answer = (p: mqtt.Packet, send: (p: mqtt.Packet) => void) => void;

interface Recorder {
  port: number;
  packets: mqtt.Packet[];
  close(): Promise<void>;
}

const open: Recorder[] = [];

/** A broker that records every packet and lets `answer` reply; CONNECT is accepted unless `answer` does it. */
async function recorder(answer: Answer = () => {}): Promise<Recorder> {
  const packets: mqtt.Packet[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let version: 3 | 4 | 5 = 4;
    const parser = mqtt.parser({ protocolVersion: 5 });
    const send = (p: mqtt.Packet): void => {
      socket.write(mqtt.generate(p, { protocolVersion: version }));
    };
    parser.on('packet', (p: mqtt.Packet) => {
      packets.push(p);
      if (p.cmd === 'connect') {
        version = p.protocolVersion as 3 | 4 | 5;
        let answered = false;
        answer(p, (reply) => {
          answered = true;
          send(reply);
        });
        if (!answered) send({ cmd: 'connack', returnCode: 0, reasonCode: 0, sessionPresent: false });
        return;
      }
      if (p.cmd === 'pingreq') send({ cmd: 'pingresp' });
      answer(p, send);
    });
    parser.on('error', () => socket.destroy());
    socket.on('data', (c: Buffer) => parser.parse(c));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const rec: Recorder = {
    port: (server.address() as net.AddressInfo).port,
    packets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  open.push(rec);
  return rec;
}

function first<C extends mqtt.PacketCmd>(rec: Recorder, cmd: C): Extract<mqtt.Packet, { cmd: C }> {
  const p = rec.packets.find((x) => x.cmd === cmd);
  if (!p) throw new Error(`no ${cmd} among ${rec.packets.map((x) => x.cmd).join(', ')}`);
  return p as Extract<mqtt.Packet, { cmd: C }>;
}

beforeAll(() => assertBuilt());
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

/** PUBACK / PUBREC / PUBCOMP as a broker would send them; SUBACK granting what was asked. */
const ackAll: Answer = (p, send) => {
  if (p.cmd === 'publish' && p.qos === 1) send({ cmd: 'puback', messageId: p.messageId! });
  if (p.cmd === 'publish' && p.qos === 2) send({ cmd: 'pubrec', messageId: p.messageId! });
  if (p.cmd === 'pubrel') send({ cmd: 'pubcomp', messageId: p.messageId! });
  if (p.cmd === 'subscribe')
    send({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map((s) => s.qos) });
};

describe('CONNECT as the flags describe it', () => {
  it('-V 5 with -i -u -P -k -c -x, -D connect …, a will with -D will …, and the PUBLISH with -q -r', async () => {
    const rec = await recorder(ackAll);
    const r = await runCli([
      'pub',
      '-h',
      '127.0.0.1',
      '-p',
      String(rec.port),
      '-V',
      '5',
      '-i',
      'cli-client',
      '-u',
      'alice',
      '-P',
      's3cret',
      '-k',
      '17',
      '-c',
      '-x',
      '300',
      '-D',
      'connect',
      'user-property',
      'a',
      'b',
      '-D',
      'connect',
      'receive-maximum',
      '10',
      '-D',
      'connect',
      'maximum-packet-size',
      '100000',
      '-D',
      'connect',
      'topic-alias-maximum',
      '5',
      '-D',
      'connect',
      'request-response-information',
      '1',
      '-D',
      'connect',
      'request-problem-information',
      '0',
      '--will-topic',
      'status/cli',
      '--will-payload',
      'bye',
      '--will-qos',
      '1',
      '--will-retain',
      '-D',
      'will',
      'will-delay-interval',
      '5',
      '-D',
      'will',
      'content-type',
      'text/plain',
      '-D',
      'will',
      'user-property',
      'wk',
      'wv',
      '-t',
      'data/x',
      '-m',
      'hello',
      '-q',
      '1',
      '-r',
      '-D',
      'publish',
      'content-type',
      'text/plain',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const c = first(rec, 'connect');
    expect(c).toMatchObject({
      protocolVersion: 5,
      clientId: 'cli-client',
      username: 'alice',
      keepalive: 17,
      clean: false,
      properties: {
        sessionExpiryInterval: 300,
        receiveMaximum: 10,
        maximumPacketSize: 100000,
        topicAliasMaximum: 5,
        requestResponseInformation: true,
        requestProblemInformation: false,
        userProperties: { a: 'b' },
      },
      will: {
        topic: 'status/cli',
        qos: 1,
        retain: true,
        properties: { willDelayInterval: 5, contentType: 'text/plain', userProperties: { wk: 'wv' } },
      },
    });
    expect(String(c.password)).toBe('s3cret');
    expect(String(c.will!.payload)).toBe('bye');
    const p = first(rec, 'publish');
    expect(p).toMatchObject({
      topic: 'data/x',
      qos: 1,
      retain: true,
      properties: { contentType: 'text/plain' },
    });
    expect(String(p.payload)).toBe('hello');
    expect(rec.packets.at(-1)!.cmd).toBe('disconnect');
  });

  it('-V 31 sends MQIsdp level 3; -c -i keeps the session under 3.1.1; -c alone under 5 never expires', async () => {
    const rec = await recorder(ackAll);
    expect(
      (await runCli(['pub', '-p', String(rec.port), '-h', '127.0.0.1', '-V', '31', '-t', 't', '-m', 'x']))
        .code,
    ).toBe(0);
    expect(first(rec, 'connect')).toMatchObject({
      protocolId: 'MQIsdp',
      protocolVersion: 3,
      clean: true,
      keepalive: 60,
    });

    const rec311 = await recorder(ackAll);
    await runCli([
      'pub',
      '-p',
      String(rec311.port),
      '-h',
      '127.0.0.1',
      '-c',
      '-i',
      'keep',
      '-t',
      't',
      '-m',
      'x',
    ]);
    expect(first(rec311, 'connect')).toMatchObject({
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: false,
      clientId: 'keep',
    });

    const rec5 = await recorder(ackAll);
    await runCli([
      'pub',
      '-p',
      String(rec5.port),
      '-h',
      '127.0.0.1',
      '-V',
      'mqttv5',
      '-c',
      '-I',
      'pre-',
      '-t',
      't',
      '-m',
      'x',
    ]);
    const c5 = first(rec5, 'connect');
    expect(c5).toMatchObject({
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: 0xffffffff },
    });
    expect(c5.clientId).toMatch(/^pre-\d+$/);
  });

  it('-L mqtt://user:password@host:port/topic gives the credentials and the topic', async () => {
    const rec = await recorder(ackAll);
    const r = await runCli(['pub', '-L', `mqtt://bob:p%40ss@127.0.0.1:${rec.port}/from/url`, '-m', 'x']);
    expect(r.code, r.stderr).toBe(0);
    const c = first(rec, 'connect');
    expect(c.username).toBe('bob');
    expect(String(c.password)).toBe('p@ss');
    expect(first(rec, 'publish').topic).toBe('from/url');
  });
});

describe('SUBSCRIBE as the flags describe it', () => {
  it('-q, -D subscribe subscription-identifier and user-property, --no-local, --retain-as-published, --retain-handling', async () => {
    const rec = await recorder((p, send) => {
      ackAll(p, send);
      if (p.cmd === 'subscribe')
        send({
          cmd: 'publish',
          topic: 'a/b',
          payload: Buffer.from('hi'),
          qos: 0,
          retain: false,
          dup: false,
          properties: { subscriptionIdentifier: 9 },
        });
    });
    const r = await runCli([
      'sub',
      '-p',
      String(rec.port),
      '-h',
      '127.0.0.1',
      '-V',
      '5',
      '-t',
      'a/#',
      '-t',
      'c',
      '-q',
      '2',
      '-C',
      '1',
      '-F',
      'json',
      '-D',
      'subscribe',
      'subscription-identifier',
      '9',
      '-D',
      'subscribe',
      'user-property',
      'k',
      'v',
      '--no-local',
      '--retain-as-published',
      '--retain-handling',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const subs = rec.packets.filter((p): p is mqtt.ISubscribePacket => p.cmd === 'subscribe');
    expect(subs.flatMap((s) => s.subscriptions.map((x) => x.topic)).sort()).toEqual(['a/#', 'c']);
    for (const s of subs) {
      expect(s.subscriptions[0]).toMatchObject({ qos: 2, nl: true, rap: true, rh: 2 });
      expect(s.properties).toMatchObject({ subscriptionIdentifier: 9, userProperties: { k: 'v' } });
    }
    expect(JSON.parse(r.stdout)).toEqual({
      topic: 'a/b',
      payload: 'hi',
      qos: 0,
      retain: false,
      properties: { subscriptionIdentifiers: [9] },
    });
  });
});

describe("refusals after connecting exit 1 with the broker's reason", () => {
  it('a SUBACK failure code (3.1.1: 0x80; 5: Not authorized with a reason string)', async () => {
    const rec = await recorder((p, send) => {
      if (p.cmd === 'subscribe') send({ cmd: 'suback', messageId: p.messageId, granted: [0x80] });
    });
    const r = await runCli(['sub', '-p', String(rec.port), '-h', '127.0.0.1', '-t', 'secret/#']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^qmqtt sub: the broker refused the subscription to "secret\/#": .*0x80/);

    const rec5 = await recorder((p, send) => {
      if (p.cmd === 'subscribe')
        send({
          cmd: 'suback',
          messageId: p.messageId,
          granted: [0x87],
          properties: { reasonString: 'no access' },
        });
    });
    const r5 = await runCli(['sub', '-p', String(rec5.port), '-h', '127.0.0.1', '-V', '5', '-t', 'secret/#']);
    expect(r5.code).toBe(1);
    expect(r5.stderr.trim()).toMatch(
      /^qmqtt sub: the broker refused the subscription to "secret\/#": .*(NotAuthorized|0x87).*"no access"$/,
    );
  });

  it('a PUBACK failure code under MQTT 5', async () => {
    const rec = await recorder((p, send) => {
      if (p.cmd === 'publish') send({ cmd: 'puback', messageId: p.messageId!, reasonCode: 0x87 });
    });
    const r = await runCli([
      'pub',
      '-p',
      String(rec.port),
      '-h',
      '127.0.0.1',
      '-V',
      '5',
      '-t',
      'ro',
      '-q',
      '1',
      '-m',
      'x',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^qmqtt pub: publish to "ro" failed: .*(NotAuthorized|0x87)/);
  });

  it('qmqtt sub -W counts from the start: a broker that never answers SUBACK times out (exit 4)', async () => {
    const rec = await recorder();
    const sub = startCli(['sub', '-p', String(rec.port), '-h', '127.0.0.1', '-t', 'x', '-W', '1', '-d']);
    const r = await sub.done;
    expect(r.code).toBe(4);
    expect(r.stderr).not.toMatch(SUBSCRIBED);
    expect(first(rec, 'subscribe').subscriptions[0]!.topic).toBe('x');
  });
});
