/**
 * qmqtt bench against mosquitto: the summary counts what really went through the broker, the progress line
 * goes to stderr, and failures exit non-zero. (No speed is asserted: benchmarks are not tests.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { assertBuilt, runCli, startMosquittoSub, MOSQUITTO_SUBSCRIBED, uniqueTopic } from './helpers';

interface Summary {
  broker: string;
  protocol: number;
  qos: number;
  size: number;
  sent: number;
  received: number;
  lost: number;
  duplicates: number;
  seconds: number;
  receivePerSecond: number;
  latencyMs: { min: number; p50: number; p90: number; p99: number; max: number; mean: number };
}

let m: MosquittoBroker;
beforeAll(async () => {
  assertBuilt();
  m = await startMosquitto();
});
afterAll(async () => {
  await m?.stop();
});

describe('qmqtt bench', () => {
  it.each([
    ['311', '0'],
    ['311', '1'],
    ['5', '2'],
  ])('-V %s -q %s: every message comes back once; --json summary; progress on stderr', async (v, q) => {
    const r = await runCli(
      [
        'bench',
        '-h',
        '127.0.0.1',
        '-p',
        String(m.port),
        '-V',
        v,
        '-q',
        q,
        '-C',
        '3000',
        '-s',
        '100',
        '--json',
      ],
      { timeoutMs: 80_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s).toMatchObject({
      broker: `mqtt://127.0.0.1:${m.port}`,
      protocol: Number(v === '5' ? 5 : 4),
      qos: Number(q),
      size: 100,
      sent: 3000,
      duplicates: 0,
    });
    // at QoS 0 mosquitto may drop under load; at QoS 1 and 2 nothing may be lost
    if (q === '0') expect(s.received).toBeGreaterThan(0);
    else expect(s.received).toBe(3000);
    expect(s.lost).toBe(s.sent - s.received);
    expect(s.receivePerSecond).toBeGreaterThan(0);
    const l = s.latencyMs;
    expect(l.min).toBeGreaterThanOrEqual(0);
    expect(l.min).toBeLessThanOrEqual(l.p50);
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
    // stderr is not a TTY here: one progress line per second plus the final one
    const progress = r.stderr.trim().split('\n');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const line of progress)
      expect(line).toMatch(/^bench: sent \d+\/3000 {2}acked \d+ {2}received \d+ {2}\d+ msg\/s {2}[\d.]+ s$/);
    expect(progress.at(-1)).toMatch(
      new RegExp(`^bench: sent 3000/3000  acked 3000  received ${s.received} `),
    );
  });

  it('really publishes on the broker: mosquitto_sub on the topic sees the messages', async () => {
    const topic = uniqueTopic('bench');
    const watcher = startMosquittoSub([
      '-h',
      '127.0.0.1',
      '-p',
      String(m.port),
      '-t',
      topic,
      '-C',
      '50',
      '-F',
      '%l',
      '-d',
    ]);
    await watcher.waitFor(MOSQUITTO_SUBSCRIBED);
    const r = await runCli([
      'bench',
      '-h',
      '127.0.0.1',
      '-p',
      String(m.port),
      '-t',
      topic,
      '-q',
      '1',
      '-C',
      '50',
      '-s',
      '32',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^messages {3}sent 50 {2}received 50 {2}lost 0 {2}duplicates 0/m);
    expect(r.stdout).toMatch(/^latency ms min [\d.]+ {2}mean/m);
    const lengths = (await watcher.done).stdout.split('\n').filter((l) => /^\d+$/.test(l));
    expect(lengths).toEqual(Array(50).fill('32'));
  });

  it('an unreachable broker exits 3; a topic with a wildcard is a usage error', async () => {
    const port = await freePort();
    const down = await runCli(['bench', '-h', '127.0.0.1', '-p', String(port)]);
    expect(down.code).toBe(3);
    expect(down.stderr.trim()).toMatch(
      /^qmqtt bench: cannot connect to mqtt:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );
    const bad = await runCli(['bench', '-p', String(m.port), '-t', 'a/#']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^qmqtt bench: -t: topic name must not contain the wildcard '#'/);
  });
});
