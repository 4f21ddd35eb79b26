/**
 * The short soak (issue 8): scripts/soak.mjs for 8 seconds against a real mosquitto it starts, with connection
 * cuts and broker restarts under steady QoS 0/1/2 traffic. It uses the built dist/lib (npm test builds first).
 * The long run is `npm run soak` (SOAK_SECONDS, default 60).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

interface SoakReport {
  lost: Record<string, number>;
  duplicates: Record<string, number>;
  refused: Record<string, number>;
  unsettled: number;
  faults: { connectionCuts: number; brokerRestarts: number };
  memory: { heapUsedEarlyMedian: number; heapUsedLateMedian: number; heapLimit: number };
  escaped: string[];
  violations: string[];
}

describe('soak (short)', () => {
  it('8 s of QoS 0/1/2 traffic with cut connections and mosquitto restarts: no QoS 1/2 loss, no QoS 2 duplicate, flat heap', async () => {
    expect(
      fs.existsSync(path.join(root, 'dist/lib/index.mjs')),
      'dist/lib/index.mjs: run npm run build',
    ).toBe(true);
    const child = spawn(process.execPath, ['--expose-gc', path.join(root, 'scripts/soak.mjs')], {
      cwd: root,
      env: { ...process.env, SOAK_SECONDS: '8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(out, `soak printed no report; stderr:\n${err}`).toMatch(/^\{/);
    const report = JSON.parse(out) as SoakReport;
    expect(report.violations, err).toEqual([]);
    expect(report.lost.qos1).toBe(0);
    expect(report.lost.qos2).toBe(0);
    expect(report.duplicates.qos2).toBe(0);
    expect(report.refused.qos1! + report.refused.qos2!).toBe(0);
    expect(report.unsettled).toBe(0);
    expect(report.escaped).toEqual([]);
    expect(report.faults.connectionCuts + report.faults.brokerRestarts).toBeGreaterThanOrEqual(3);
    expect(report.memory.heapUsedLateMedian).toBeLessThanOrEqual(report.memory.heapLimit);
    expect(code, err).toBe(0);
  }, 90_000);
});
