/**
 * Every script in examples/scripts/ runs with plain `node`, importing or requiring the package by its name
 * (the package's own `exports`, self-referenced), against the embedded Aedes broker — or, for the MQTT 5 one,
 * a real mosquitto (Aedes speaks 3.1.1 only) — and prints what it promises.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAedes, type AedesBroker } from '../helpers/aedes';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { assertBuilt, runTool, type RunResult } from '../cli/helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'examples', 'scripts');

let aedes: AedesBroker;
let mosquitto: MosquittoBroker;

beforeAll(async () => {
  assertBuilt();
  [aedes, mosquitto] = await Promise.all([startAedes(), startMosquitto()]);
});
afterAll(async () => {
  await Promise.all([aedes?.stop(), mosquitto?.stop()]);
});

function runScript(name: string, url: string): Promise<RunResult> {
  return runTool(process.execPath, [path.join(DIR, name)], {
    env: { MQTT_URL: url },
    cwd: ROOT,
    timeoutMs: 20_000,
  });
}

const aedesUrl = (): string => `mqtt://127.0.0.1:${aedes.port}`;

/** What each script must print (lines in order unless the script's order depends on the network). */
const EXPECTED: Record<string, { broker: 'aedes' | 'mosquitto'; check: (lines: string[]) => void }> = {
  'publish-subscribe.mjs': {
    broker: 'aedes',
    check: (lines) =>
      expect(lines).toEqual([
        'state: Connecting',
        'state: Connected',
        'published with packet id 2',
        'received kitchen/temperature: 21.5 (QoS 1)',
        'state: Disconnected',
      ]),
  },
  'qt-signals.cjs': {
    broker: 'aedes',
    check: (lines) => {
      expect(lines[0]).toBe('connected');
      expect(lines[1]).toMatch(/^subscribed to examples\/\d+\/qt-signals$/);
      // the broker's PUBACKs and the echoed messages may interleave; each message arrives once, in order
      expect(lines.filter((l) => l.startsWith('message: '))).toEqual([
        'message: one',
        'message: two',
        'message: three',
      ]);
      expect(lines).toContain('all three acknowledged by the broker');
      expect(lines.at(-1)).toBe('disconnected');
      expect(lines).toHaveLength(7);
    },
  },
  'topic-filters.cjs': {
    broker: 'aedes',
    check: (lines) =>
      expect(lines).toEqual([
        '"home/+/temperature" valid filter: true',
        '"home/+/temperature" valid topic name: false',
        '"home/#" matches "home/kitchen/light": true',
        'everything   <- kitchen/light',
        'everything   <- kitchen/temperature',
        'temperatures <- kitchen/temperature',
      ]),
  },
  'cli-in-a-script.mjs': {
    broker: 'aedes',
    check: (lines) =>
      expect(lines).toEqual(['qmqtt sub exited with 0 and printed: qos 1, payload {"temperature":21.5}']),
  },
  'request-response.mjs': {
    broker: 'mosquitto',
    check: (lines) =>
      expect(lines).toEqual([
        'req-1: answer to what time is it? [text/plain, served-by=responder]',
        'req-2: answer to and now? [text/plain, served-by=responder]',
      ]),
  },
};

describe('examples/scripts', () => {
  it('has ESM and CommonJS scripts, and every script has a test here', () => {
    const scripts = fs.readdirSync(DIR).filter((f) => /\.(mjs|cjs|js)$/.test(f));
    expect(scripts.sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(scripts.some((f) => f.endsWith('.mjs'))).toBe(true);
    expect(scripts.some((f) => f.endsWith('.cjs'))).toBe(true);
  });

  it('each script uses the package by its name, not a relative path into lib/ or dist/', () => {
    for (const f of Object.keys(EXPECTED)) {
      const text = fs.readFileSync(path.join(DIR, f), 'utf8');
      expect(text, f).toMatch(/(from|require\()\s*'node-red-contrib-qmqtt'/);
      expect(text, f).not.toMatch(/['"](\.\.\/)+(lib|dist)\//);
    }
  });

  it.each(Object.keys(EXPECTED))('%s runs against the broker and prints what it shows', async (name) => {
    const { broker, check } = EXPECTED[name]!;
    const r = await runScript(name, broker === 'aedes' ? aedesUrl() : `mqtt://127.0.0.1:${mosquitto.port}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    check(r.stdout.trimEnd().split('\n'));
  });

  it('a script reports a broker it cannot reach and exits non-zero', async () => {
    const r = await runScript('topic-filters.cjs', 'mqtt://127.0.0.1:1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ECONNREFUSED/);
  });
});
