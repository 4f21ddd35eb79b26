import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QMqttClient } from '../../lib/client';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { waitFor } from '../helpers/wait';

const fixture = path.join(__dirname, '..', 'fixtures', 'store-publisher.mjs');

/** Runs the fixture; resolves with the child once `line` was printed. */
function run(args: string[], line: string): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, [fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(line)) resolve(child);
    });
    child.on('exit', (code) => {
      if (!out.includes(line)) reject(new Error(`fixture exited ${code} before "${line}": ${err}`));
    });
  });
}

describe('client process killed and restarted with the file session store (mosquitto)', () => {
  let b: MosquittoBroker;
  let dir: string;
  beforeAll(async () => {
    b = await startMosquitto({ extraConfig: 'max_queued_messages 0' }); // F9: no broker-side drops
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qmqtt-restart-'));
  });
  afterAll(async () => {
    await b.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const qos of [1, 2] as const) {
    it(
      `QoS ${qos}: SIGKILL mid-stream, restart with the same client id: ${qos === 1 ? 'nothing lost' : 'nothing lost, nothing twice'}`,
      { timeout: 120_000 },
      async () => {
        const N = 10_000;
        const id = `restart-pub-${qos}-${process.pid}`;
        const topic = `restart/${qos}/${process.pid}`;
        const store = path.join(dir, `${id}.log`);
        const sub = new QMqttClient();
        sub.setHostname('127.0.0.1');
        sub.setPort(b.port);
        await sub.connectToHostAsync();
        const s = await sub.subscribeAsync(topic, qos);
        const seen: number[] = [];
        s.messageReceived.connect((m) => seen.push(m.payload().readUInt32BE(0)));

        const first = await run(
          ['publish', String(b.port), id, store, topic, String(qos), String(N)],
          'accepted',
        );
        await waitFor(() => seen.length >= 1000, '1,000 messages before the kill', 30_000);
        first.kill('SIGKILL');
        await new Promise((r) => first.once('exit', r));
        const atKill = new Set(seen).size;
        expect(atKill).toBeLessThan(N); // the kill really interrupted the stream

        const second = await run(['resume', String(b.port), id, store], 'drained');
        await new Promise((r) => second.once('exit', r));
        await waitFor(() => new Set(seen).size >= N, `all ${N} (have ${new Set(seen).size})`, 30_000);
        const unique = new Set(seen);
        for (let i = 0; i < N; i++) if (!unique.has(i)) throw new Error(`message ${i} lost`);
        if (qos === 2) {
          await new Promise((r) => setTimeout(r, 200));
          expect(seen.length).toBe(N);
        }
        await sub.disconnectFromHostAsync();
      },
    );
  }
});
