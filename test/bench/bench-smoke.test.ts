/**
 * Smoke run of the benchmark (`BENCH_SMOKE=1`: tiny counts, one repetition) so that `npm run bench` cannot rot:
 * every scenario row of issue 7 must be reported for both sides with numeric values, and the JSON, Markdown
 * and SVG results must be written. Nothing here is timed: speed is measured by `npm run bench`, not asserted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

interface Run {
  status: string;
  reason?: string;
  metrics: Record<string, number | null>;
}
interface Row {
  id: string;
  group: string;
  metrics: { key: string }[];
  runs: { ours: Run[]; mqttjs: Run[] };
  ratios: Record<string, { median: number } | null>;
}
interface Results {
  meta: { mode: string; reps: number; node: string; mosquitto: string; machine: { nproc: number } };
  rows: Row[];
  targets: { row: string; metric: string }[];
}

/** The rows issue 7 asks for (the bursts are counted separately: their ids carry the smoke counts). */
const EXPECTED = [
  'qos0-window',
  'qos0-nowindow',
  'qos1-window',
  'qos1-nowindow',
  'qos2-window',
  'qos2-nowindow',
  'qos2-nowindow-default',
  'qos2-nowindow-default-v5',
  'large-window',
  'large-nowindow',
  'latency-qos0',
  'latency-qos1',
  'latency-qos1-broker-nodelay',
  'connect-v311',
  'connect-v5',
  'memory',
  'nodered-relay-qos0',
  'nodered-relay-qos1',
];

describe('npm run bench (smoke: BENCH_SMOKE=1)', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'qmqtt-bench-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  let results: Results;
  let stdout = '';

  it('runs every scenario for both clients and writes latest.json, latest.md and ratios.svg', () => {
    expect(existsSync(path.join(root, 'dist/lib/index.mjs')), 'run `npm run build` first').toBe(true);
    const r = spawnSync(process.execPath, [path.join(root, 'bench/run.mjs')], {
      cwd: root,
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_QUICK: '', REPS: '1', BENCH_ONLY: '', BENCH_OUT: out },
      encoding: 'utf8',
      timeout: 170_000,
    });
    stdout = r.stdout;
    expect(r.status, `bench exited with ${r.status}\n${r.stderr}`).toBe(0);
    for (const f of ['latest.json', 'latest.md', 'ratios.svg'])
      expect(existsSync(path.join(out, f)), f).toBe(true);
    results = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as Results;
    expect(results.meta.mode).toBe('smoke');
    expect(results.meta.machine.nproc).toBeGreaterThan(0);
    expect(results.meta.mosquitto).toMatch(/^\d+\.\d+/);
  }, 180_000);

  it('reports every row of issue 7, each metric numeric for both sides', () => {
    const ids = results.rows.map((r) => r.id);
    for (const id of EXPECTED) expect(ids, id).toContain(id);
    expect(results.rows.filter((r) => r.group === 'burst')).toHaveLength(3);
    for (const row of results.rows) {
      for (const side of ['ours', 'mqttjs'] as const) {
        const runs = row.runs[side];
        expect(runs, `${row.id} ${side}`).toHaveLength(1);
        const run = runs[0]!;
        // our Node-RED nodes may legitimately be "not available" while they are not registered yet
        if (side === 'ours' && row.group === 'nodered' && run.status === 'n/a') {
          expect(run.reason, row.id).toBeTruthy();
          continue;
        }
        expect(run.status, `${row.id} ${side}: ${run.reason ?? ''}`).toBe('ok');
        for (const m of row.metrics) {
          const v = run.metrics[m.key];
          expect(typeof v === 'number' && Number.isFinite(v), `${row.id} ${side} ${m.key} = ${v}`).toBe(true);
        }
      }
      const oursAvailable = row.runs.ours[0]!.status === 'ok';
      if (oursAvailable)
        for (const m of row.metrics)
          expect(Number.isFinite(row.ratios[m.key]?.median), `${row.id} ratio ${m.key}`).toBe(true);
    }
  });

  it('writes the table and the chart with every row', () => {
    const md = readFileSync(path.join(out, 'latest.md'), 'utf8');
    const svg = readFileSync(path.join(out, 'ratios.svg'), 'utf8');
    expect(stdout).toBe(md);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const row of results.rows) {
      expect(md, row.id).toContain(`| ${row.id} |`);
      expect(svg, row.id).toContain(row.id);
    }
    expect(results.targets.length).toBeGreaterThan(0);
    // what bounds each rate row (broker and machine busy, ceilings): the reason a missed target gives (at smoke
    // counts the broker may have spent less than one 10 ms tick: "–")
    const bounds = md.slice(md.indexOf('## What bounds the rate'));
    expect(bounds.length, 'the bounds section').toBeLessThan(md.length);
    for (const id of [
      'qos0-window',
      'qos1-nowindow',
      'large-window',
      'nodered-relay-qos0',
      'nodered-relay-qos1',
    ])
      expect(bounds, id).toMatch(
        new RegExp(`\\| ${id} \\| ours \\| [\\d,.]+ \\| (\\d+ %|–) \\| (\\d+ %|–) \\|`),
      );
  });
});
