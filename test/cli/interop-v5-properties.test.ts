/**
 * MQTT 5 properties between qmqtt and mosquitto's own clients, both ways: -D as mosquitto spells it on one side,
 * -F json or mosquitto's -F format specifiers on the other; subscription identifiers and session expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const conn = (): string[] => ['-h', '127.0.0.1', '-p', String(m.port)];

beforeAll(async () => {
  assertBuilt();
  m = await startMosquitto();
});
afterAll(async () => {
  await m?.stop();
});

describe('MQTT 5 properties across both clients', () => {
  const PROPS = [
    ['-D', 'publish', 'user-property', 'k1', 'v1'],
    ['-D', 'publish', 'user-property', 'k2', 'v 2'],
    ['-D', 'publish', 'response-topic', 'reply/to'],
    ['-D', 'publish', 'correlation-data', 'corr-42'],
    ['-D', 'publish', 'content-type', 'application/json'],
    ['-D', 'publish', 'message-expiry-interval', '120'],
    ['-D', 'publish', 'payload-format-indicator', '1'],
  ].flat();

  it('qmqtt pub -D … is read by mosquitto_sub -F %P %R %D %C %E %F', async () => {
    const topic = uniqueTopic('props-out');
    const sub = startMosquittoSub([
      ...conn(),
      '-V',
      'mqttv5',
      '-t',
      topic,
      '-C',
      '1',
      '-d',
      '-F',
      'P=%P|R=%R|D=%D|C=%C|E=%E|F=%F|p=%p',
    ]);
    await sub.waitFor(MOSQUITTO_SUBSCRIBED);
    const pub = await runCli([
      'pub',
      ...conn(),
      '-V',
      '5',
      '-t',
      topic,
      '-q',
      '1',
      '-m',
      '{"a":1}',
      ...PROPS,
    ]);
    expect(pub.code, pub.stderr).toBe(0);
    const r = await sub.done;
    const line = r.stdout.split('\n').find((l) => l.startsWith('P='));
    expect(line).toMatch(
      /^P=k1:v1 k2:v 2\|R=reply\/to\|D=corr-42\|C=application\/json\|E=1(19|20)\|F=1\|p=\{"a":1\}$/,
    );
  });

  it('mosquitto_pub -D … is read by qmqtt sub -F json', async () => {
    const topic = uniqueTopic('props-in');
    const sub = startCli([
      'sub',
      ...conn(),
      '-V',
      '5',
      '-t',
      topic,
      '-q',
      '1',
      '-C',
      '1',
      '-F',
      'json',
      '-d',
    ]);
    await sub.waitFor(SUBSCRIBED);
    const pub = await runTool('mosquitto_pub', [
      ...conn(),
      '-V',
      'mqttv5',
      '-t',
      topic,
      '-q',
      '1',
      '-m',
      '{"a":1}',
      ...PROPS,
    ]);
    expect(pub.code, pub.stderr).toBe(0);
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { properties: { messageExpiryInterval: number } };
    expect(json.properties.messageExpiryInterval).toBeGreaterThanOrEqual(119);
    expect(json).toEqual({
      topic,
      payload: '{"a":1}',
      qos: 1,
      retain: false,
      properties: {
        userProperties: { k1: 'v1', k2: 'v 2' },
        responseTopic: 'reply/to',
        correlationData: 'corr-42',
        contentType: 'application/json',
        messageExpiryInterval: json.properties.messageExpiryInterval,
        payloadFormatIndicator: 1,
      },
    });
  });

  it('repeated user-property names keep every value in order', async () => {
    const topic = uniqueTopic('props-dup');
    const sub = startCli(['sub', ...conn(), '-V', '5', '-t', topic, '-C', '1', '-F', 'json', '-d']);
    await sub.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', [
      ...conn(),
      '-V',
      'mqttv5',
      '-t',
      topic,
      '-m',
      'x',
      '-D',
      'publish',
      'user-property',
      'k',
      'a',
      '-D',
      'publish',
      'user-property',
      'k',
      'b',
      '-D',
      'publish',
      'user-property',
      'z',
      'c',
    ]);
    const json = JSON.parse((await sub.done).stdout) as { properties: unknown };
    expect(json.properties).toEqual({ userProperties: { k: ['a', 'b'], z: 'c' } });
  });

  it('qmqtt sub -D subscribe subscription-identifier: the broker echoes it', async () => {
    const topic = uniqueTopic('subid');
    const sub = startCli([
      'sub',
      ...conn(),
      '-V',
      '5',
      '-t',
      topic,
      '-C',
      '1',
      '-F',
      'json',
      '-d',
      '-D',
      'subscribe',
      'subscription-identifier',
      '42',
      '-D',
      'subscribe',
      'user-property',
      'who',
      'cli',
    ]);
    await sub.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', [...conn(), '-V', 'mqttv5', '-t', topic, '-m', 'x']);
    const json = JSON.parse((await sub.done).stdout) as { properties: unknown };
    expect(json.properties).toEqual({ subscriptionIdentifiers: [42] });
  });

  it('qmqtt sub -F prints the same as mosquitto_sub -F for the same message', async () => {
    const topic = uniqueTopic('format');
    const format = '%t|%p|%q|%r|%l|%x|%X|%P|%R|%D|%C|%F|%%|\\t|end';
    const theirs = startMosquittoSub([
      ...conn(),
      '-V',
      'mqttv5',
      '-t',
      topic,
      '-q',
      '2',
      '-C',
      '1',
      '-F',
      format,
      '-d',
    ]);
    const ours = startCli([
      'sub',
      ...conn(),
      '-V',
      '5',
      '-t',
      topic,
      '-q',
      '2',
      '-C',
      '1',
      '-F',
      format,
      '-d',
    ]);
    await Promise.all([theirs.waitFor(MOSQUITTO_SUBSCRIBED), ours.waitFor(SUBSCRIBED)]);
    await runTool('mosquitto_pub', [
      ...conn(),
      '-V',
      'mqttv5',
      '-t',
      topic,
      '-q',
      '2',
      '-m',
      'Grüße',
      ...PROPS,
    ]);
    const [t, o] = await Promise.all([theirs.done, ours.done]);
    const theirLine = t.stdout.split('\n').find((l) => l.startsWith(topic));
    expect(theirLine).toBeDefined();
    expect(o.stdout).toBe(`${theirLine}\n`);
    expect(o.stdout).toContain('|Grüße|2|0|7|');
  });

  it('-x / -D connect session-expiry-interval: the session outlives the connection for that long', async () => {
    const topic = uniqueTopic('expiry');
    const id = `qmqtt-cli-expiry-${process.pid}`;
    const first = await runCli([
      'sub',
      ...conn(),
      '-V',
      '5',
      '-i',
      id,
      '-x',
      '60',
      '-q',
      '1',
      '-t',
      topic,
      '-E',
    ]);
    expect(first.code, first.stderr).toBe(0);
    await runTool('mosquitto_pub', [...conn(), '-V', 'mqttv5', '-t', topic, '-q', '1', '-m', 'kept for you']);
    // clean start false (-c) with the same id: the session (and the queued message) is still there
    const back = await runCli([
      'sub',
      ...conn(),
      '-V',
      '5',
      '-c',
      '-i',
      id,
      '-D',
      'connect',
      'session-expiry-interval',
      '0',
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
    expect(back.stdout).toBe('kept for you\n');
  });
});
