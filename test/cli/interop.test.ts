/**
 * qmqtt pub / sub against a real mosquitto, interoperating both ways with mosquitto's own mosquitto_pub and
 * mosquitto_sub (Debian package mosquitto-clients) under MQTT 3.1, 3.1.1 and 5 (properties: see
 * interop-v5-properties.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/cleanup';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import {
  MOSQUITTO_SUBSCRIBED,
  SUBSCRIBED,
  assertBuilt,
  runCli,
  runTool,
  startCli,
  startMosquittoSub,
  uniqueTopic,
} from './helpers';

let m: MosquittoBroker;
let tmp: string;
const conn = (): string[] => ['-h', '127.0.0.1', '-p', String(m.port)];

beforeAll(async () => {
  assertBuilt();
  tmp = makeTempDir('qmqtt-cli-interop-');
  m = await startMosquitto();
});
afterAll(async () => {
  await m?.stop();
});

const VERSIONS = [
  { ours: '31', theirs: 'mqttv31' },
  { ours: '311', theirs: 'mqttv311' },
  { ours: '5', theirs: 'mqttv5' },
] as const;

describe.each(VERSIONS)('MQTT $ours', ({ ours, theirs }) => {
  it('qmqtt pub → mosquitto_sub (QoS 1, -v)', async () => {
    const topic = uniqueTopic('pub-to-mosq');
    const sub = startMosquittoSub([...conn(), '-V', theirs, '-t', topic, '-q', '1', '-C', '1', '-v', '-d']);
    await sub.waitFor(MOSQUITTO_SUBSCRIBED);
    const pub = await runCli([
      'pub',
      ...conn(),
      '-V',
      ours,
      '-t',
      topic,
      '-q',
      '1',
      '-m',
      `hello from qmqtt ${ours}`,
    ]);
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stderr).toBe('');
    const r = await sub.done;
    expect(r.code).toBe(0);
    // -d mixes mosquitto_sub's debug lines into stdout
    expect(r.stdout.split('\n').filter((l) => l.startsWith(topic))).toEqual([
      `${topic} hello from qmqtt ${ours}`,
    ]);
  });

  it('mosquitto_pub → qmqtt sub (QoS 2, -v, -C 1)', async () => {
    const topic = uniqueTopic('mosq-to-sub');
    const sub = startCli(['sub', ...conn(), '-V', ours, '-t', topic, '-q', '2', '-C', '1', '-v', '-d']);
    await sub.waitFor(SUBSCRIBED);
    const pub = await runTool('mosquitto_pub', [
      ...conn(),
      '-V',
      theirs,
      '-t',
      topic,
      '-q',
      '2',
      '-m',
      'from mosquitto',
    ]);
    expect(pub.code, pub.stderr).toBe(0);
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${topic} from mosquitto\n`);
  });

  it('retained message: qmqtt pub -r is retained for mosquitto_sub; qmqtt pub -r -n clears it', async () => {
    const topic = uniqueTopic('retain');
    expect(
      (await runCli(['pub', ...conn(), '-V', ours, '-t', topic, '-r', '-q', '1', '-m', 'kept'])).code,
    ).toBe(0);
    const first = await runTool('mosquitto_sub', [
      ...conn(),
      '-V',
      theirs,
      '-t',
      topic,
      '-C',
      '1',
      '-F',
      '%r %t %p',
    ]);
    expect(first.stdout).toBe(`1 ${topic} kept\n`);
    expect((await runCli(['pub', ...conn(), '-V', ours, '-t', topic, '-r', '-n'])).code).toBe(0);
    const second = await runTool('mosquitto_sub', [...conn(), '-V', theirs, '-t', topic, '-W', '1']);
    expect(second.stdout).toBe('');
    expect(second.code).not.toBe(0); // mosquitto_sub: timed out, nothing retained any more
  });

  it('mosquitto_pub -r → qmqtt sub -F json shows retain true', async () => {
    const topic = uniqueTopic('retain-json');
    expect(
      (
        await runTool('mosquitto_pub', [
          ...conn(),
          '-V',
          theirs,
          '-t',
          topic,
          '-r',
          '-q',
          '1',
          '-m',
          'old news',
        ])
      ).code,
    ).toBe(0);
    const r = await runCli(['sub', ...conn(), '-V', ours, '-t', topic, '-q', '1', '-C', '1', '-F', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      topic,
      payload: 'old news',
      qos: 1,
      retain: true,
      properties: {},
    });
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-r', '-n']);
  });

  it('binary payloads cross unchanged both ways (-f file, -F json base64)', async () => {
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13, 0x41]);
    const file = path.join(tmp, `bin-${ours}`);
    fs.writeFileSync(file, bytes);
    // mosquitto_pub -f → qmqtt sub -F json: not UTF-8, so base64
    const topic = uniqueTopic('binary');
    const sub = startCli(['sub', ...conn(), '-V', ours, '-t', topic, '-C', '1', '-F', 'json', '-d']);
    await sub.waitFor(SUBSCRIBED);
    expect((await runTool('mosquitto_pub', [...conn(), '-V', theirs, '-t', topic, '-f', file])).code).toBe(0);
    const json = JSON.parse((await sub.done).stdout) as { payload: string; payloadEncoding: string };
    expect(json.payloadEncoding).toBe('base64');
    expect(Buffer.from(json.payload, 'base64')).toEqual(bytes);
    // qmqtt pub -f → mosquitto_sub prints the bytes it got in hex (-F %x; -d lines share its stdout)
    const topic2 = uniqueTopic('binary2');
    const msub = startMosquittoSub([...conn(), '-V', theirs, '-t', topic2, '-C', '1', '-F', 'hex=%x', '-d']);
    await msub.waitFor(MOSQUITTO_SUBSCRIBED);
    expect((await runCli(['pub', ...conn(), '-V', ours, '-t', topic2, '-f', file])).code).toBe(0);
    const hex = (await msub.done).stdout.split('\n').find((l) => l.startsWith('hex='));
    expect(hex).toBe(`hex=${bytes.toString('hex')}`);
  });

  it('persistent session (-c -i): messages published while qmqtt sub is away are delivered on return', async () => {
    const topic = uniqueTopic('session');
    const id = `qmqtt-cli-session-${ours}-${process.pid}`;
    const first = await runCli(['sub', ...conn(), '-V', ours, '-c', '-i', id, '-q', '1', '-t', topic, '-E']);
    expect(first.code, first.stderr).toBe(0);
    expect(
      (await runTool('mosquitto_pub', [...conn(), '-V', theirs, '-t', topic, '-q', '1', '-m', 'while away']))
        .code,
    ).toBe(0);
    const back = await runCli([
      'sub',
      ...conn(),
      '-V',
      ours,
      '-c',
      '-i',
      id,
      '-q',
      '1',
      '-t',
      topic,
      '-C',
      '1',
      '-W',
      '5',
    ]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe('while away\n');
  });

  it('the will (--will-topic, --will-payload, --will-qos) reaches mosquitto_sub when qmqtt sub dies', async () => {
    const willTopic = uniqueTopic('will');
    const watcher = startMosquittoSub([...conn(), '-V', theirs, '-t', willTopic, '-C', '1', '-v', '-d']);
    await watcher.waitFor(MOSQUITTO_SUBSCRIBED);
    const extra = ours === '5' ? ['-D', 'will', 'content-type', 'text/plain'] : [];
    const victim = startCli([
      'sub',
      ...conn(),
      '-V',
      ours,
      '-t',
      uniqueTopic('idle'),
      '-d',
      '-k',
      '5',
      '--will-topic',
      willTopic,
      '--will-payload',
      'gone',
      '--will-qos',
      '1',
      ...extra,
    ]);
    await victim.waitFor(SUBSCRIBED);
    victim.kill('SIGKILL');
    const r = await watcher.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${willTopic} gone\n`);
  });
});
