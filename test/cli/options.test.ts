/**
 * The message sources of qmqtt pub (-l, -s, -n, --repeat) and the output and stop options of qmqtt sub
 * (-C, -W, -R, -T, -E, -N, -v), against a real mosquitto.
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
  startTool,
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

describe('qmqtt pub message sources', () => {
  it('-l publishes one message per stdin line, in order, empty lines as empty messages', async () => {
    const topic = uniqueTopic('lines');
    const sub = startCli(['sub', ...conn(), '-t', topic, '-q', '1', '-C', '4', '-F', 'json', '-d']);
    await sub.waitFor(SUBSCRIBED);
    const pub = await runCli(['pub', ...conn(), '-t', topic, '-q', '1', '-l'], {
      input: 'one\r\ntwo\n\nthree',
    });
    expect(pub.code, pub.stderr).toBe(0);
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { payload: string }).payload),
    ).toEqual(['one', 'two', '', 'three']);
  });

  it('-l with many lines at QoS 2 loses none and keeps the order', async () => {
    const topic = uniqueTopic('many-lines');
    const n = 2000;
    const sub = startCli(['sub', ...conn(), '-t', topic, '-q', '2', '-C', String(n), '-d']);
    await sub.waitFor(SUBSCRIBED);
    const input = Array.from({ length: n }, (_, i) => `line ${i}`).join('\n') + '\n';
    const pub = await runCli(['pub', ...conn(), '-t', topic, '-q', '2', '-l'], { input, timeoutMs: 30_000 });
    expect(pub.code, pub.stderr).toBe(0);
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(input);
  }, 60_000);

  it('-s publishes all of stdin as one message; mosquitto_sub receives it whole', async () => {
    const topic = uniqueTopic('stdin');
    const sub = startMosquittoSub([...conn(), '-t', topic, '-C', '1', '-F', 'len=%l|%p', '-d']);
    await sub.waitFor(MOSQUITTO_SUBSCRIBED);
    const pub = await runCli(['pub', ...conn(), '-t', topic, '-s'], { input: 'a\nb\nc' });
    expect(pub.code, pub.stderr).toBe(0);
    const out = (await sub.done).stdout;
    expect(out).toContain('len=5|a\nb\nc\n');
  });

  it('-n publishes a zero-length message', async () => {
    const topic = uniqueTopic('null');
    const sub = startCli(['sub', ...conn(), '-t', topic, '-C', '1', '-F', '%l:%t', '-d']);
    await sub.waitFor(SUBSCRIBED);
    expect((await runCli(['pub', ...conn(), '-t', topic, '-n'])).code).toBe(0);
    expect((await sub.done).stdout).toBe(`0:${topic}\n`);
  });

  it('--repeat publishes the message n times', async () => {
    const topic = uniqueTopic('repeat');
    const sub = startCli(['sub', ...conn(), '-t', topic, '-q', '1', '-C', '3', '-W', '10', '-d']);
    await sub.waitFor(SUBSCRIBED);
    const pub = await runCli([
      'pub',
      ...conn(),
      '-t',
      topic,
      '-q',
      '1',
      '-m',
      'again',
      '--repeat',
      '3',
      '--repeat-delay',
      '0.05',
    ]);
    expect(pub.code, pub.stderr).toBe(0);
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('again\nagain\nagain\n');
  });

  it('-L mqtt://host:port/topic gives host, port and topic as mosquitto reads it', async () => {
    const topic = uniqueTopic('url');
    const sub = startCli(['sub', '-L', `mqtt://127.0.0.1:${m.port}/${topic}`, '-C', '1', '-v', '-d']);
    await sub.waitFor(SUBSCRIBED);
    const pub = await runCli(['pub', '-L', `mqtt://127.0.0.1:${m.port}/${topic}`, '-m', 'via url']);
    expect(pub.code, pub.stderr).toBe(0);
    expect((await sub.done).stdout).toBe(`${topic} via url\n`);
  });
});

describe('qmqtt sub stop and output options', () => {
  it('-C n exits 0 after exactly n messages even when more arrive', async () => {
    const topic = uniqueTopic('count');
    const sub = startCli(['sub', ...conn(), '-t', topic, '-q', '1', '-C', '2', '-d']);
    await sub.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-q', '1', '-l'], { input: 'a\nb\nc\nd\n' });
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('a\nb\n');
  });

  it('-W s exits with code 4 and "Timed out" when too few messages arrived', async () => {
    const topic = uniqueTopic('timeout');
    const r = await runCli(['sub', ...conn(), '-t', topic, '-W', '1', '-C', '5']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe('qmqtt sub: Timed out after 1 s');
    expect(r.ms).toBeGreaterThanOrEqual(900);
    expect(r.ms).toBeLessThan(6000);
  });

  it('-W s prints what arrived before the deadline', async () => {
    const topic = uniqueTopic('timeout-partial');
    const sub = startCli(['sub', ...conn(), '-t', topic, '-W', '2', '-C', '5', '-d']);
    await sub.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-m', 'only one']);
    const r = await sub.done;
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('only one\n');
  });

  it('-C with -W: the count reached first wins (exit 0)', async () => {
    const topic = uniqueTopic('count-before-timeout');
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-r', '-m', 'retained']);
    const r = await runCli(['sub', ...conn(), '-t', topic, '-W', '10', '-C', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('retained\n');
    expect(r.ms).toBeLessThan(8000);
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-r', '-n']);
  });

  it('-R skips retained messages', async () => {
    const topic = uniqueTopic('skip-retained');
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-r', '-m', 'stale']);
    const sub = startCli(['sub', ...conn(), '-t', topic, '-R', '-C', '1', '-d']);
    await sub.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-m', 'fresh']);
    expect((await sub.done).stdout).toBe('fresh\n');
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-r', '-n']);
  });

  it('-T filters topics out; several -t, one line per message even when filters overlap', async () => {
    const base = uniqueTopic('filter');
    const sub = startCli([
      'sub',
      ...conn(),
      '-t',
      `${base}/#`,
      '-t',
      `${base}/a/+`,
      '-T',
      `${base}/noise/#`,
      '-C',
      '2',
      '-v',
      '-d',
    ]);
    await sub.waitFor(/subscribed to "[^"]+"[\s\S]*subscribed to "/);
    await runTool('mosquitto_pub', [...conn(), '-t', `${base}/noise/x`, '-m', 'n']);
    await runTool('mosquitto_pub', [...conn(), '-t', `${base}/a/b`, '-m', 'ab']);
    await runTool('mosquitto_pub', [...conn(), '-t', `${base}/c`, '-m', 'c']);
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${base}/a/b ab\n${base}/c c\n`);
  });

  it('-E exits once the subscriptions are acknowledged', async () => {
    const r = await runCli(['sub', ...conn(), '-t', uniqueTopic('e'), '-t', uniqueTopic('e'), '-E', '-d']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/subscribed to "/g)).toHaveLength(2);
  });

  it('-N leaves out the newline; -v prints "(null)" for an empty payload as mosquitto_sub does', async () => {
    const topic = uniqueTopic('noeol');
    const sub = startCli(['sub', ...conn(), '-t', topic, '-C', '2', '-N', '-d']);
    await sub.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-q', '1', '-l'], { input: 'x\ny\n' });
    expect((await sub.done).stdout).toBe('xy');

    const t2 = uniqueTopic('null-v');
    const ours = startCli(['sub', ...conn(), '-t', t2, '-C', '1', '-v', '-d']);
    const theirs = startMosquittoSub([...conn(), '-t', t2, '-C', '1', '-v', '-d']);
    await Promise.all([ours.waitFor(SUBSCRIBED), theirs.waitFor(MOSQUITTO_SUBSCRIBED)]);
    await runTool('mosquitto_pub', [...conn(), '-t', t2, '-n']);
    const [o, t] = await Promise.all([ours.done, theirs.done]);
    expect(o.stdout).toBe(`${t2} (null)\n`);
    expect(t.stdout.split('\n')).toContain(`${t2} (null)`);
  });

  it('Ctrl-C (SIGINT) disconnects cleanly and exits 0', async () => {
    const sub = startCli(['sub', ...conn(), '-t', uniqueTopic('sigint'), '-d']);
    await sub.waitFor(SUBSCRIBED);
    sub.kill('SIGINT');
    const r = await sub.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/state Disconnected/);
  });

  it('a lost connection ends qmqtt sub with exit 1 and one line', async () => {
    const own = await startMosquitto();
    try {
      const sub = startCli(['sub', '-h', '127.0.0.1', '-p', String(own.port), '-t', 'x', '-d']);
      await sub.waitFor(SUBSCRIBED);
      await own.kill('SIGKILL');
      const r = await sub.done;
      expect(r.code).toBe(1);
      const errors = r.stderr
        .split('\n')
        .filter((l) => l && !/^qmqtt sub: (state|error|connecting|connected|subscribed)/.test(l));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^qmqtt sub: connection lost: /);
    } finally {
      await own.stop();
    }
  });

  it('qmqtt sub | head -1: a closed pipe ends it quietly with exit 0', async () => {
    const topic = uniqueTopic('pipe');
    const pipeline = startTool('bash', [
      '-c',
      `set -o pipefail; node bin/qmqtt.js sub -h 127.0.0.1 -p ${m.port} -t '${topic}' -d | head -1`,
    ]);
    await pipeline.waitFor(SUBSCRIBED);
    await runTool('mosquitto_pub', [...conn(), '-t', topic, '-m', 'first']);
    // a closed pipe is only noticed on the next write: keep messages coming until the pipeline has ended
    let ended = false;
    void pipeline.done.then(() => (ended = true));
    for (let i = 0; i < 50 && !ended; i++) {
      await runTool('mosquitto_pub', [...conn(), '-t', topic, '-m', `more ${i}`]);
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await pipeline.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('first\n');
    expect(r.stderr).not.toMatch(/EPIPE|error/i);
  });
});
