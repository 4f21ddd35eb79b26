/**
 * The bench's "what bounds the rate" estimates (bench/lib/bounds.mjs, issue 7: report honestly where a target
 * is missed, with the reason): the broker's and the machine's share while a row ran, the rates at which each
 * would be full, and the best ratio they allow. Pure arithmetic on recorded metrics: nothing is timed here.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM module of the bench, no type declarations
import { bestRatios, runLoad, totalCpuUs } from '../../bench/lib/bounds.mjs';
// @ts-expect-error -- plain ESM module of the bench, no type declarations
import { markdown, summarize } from '../../bench/lib/report.mjs';

type Metrics = Record<string, number | null>;
const run = (m: Metrics, status = 'ok') => ({ status, metrics: m });

// 50,000 msgs/s; mosquitto 16 µs per message (80 % of its core); 40 µs in all over 2 cores (100 %)
const BROKER_BOUND: Metrics = {
  e2e_msgs_per_s: 50_000,
  pub_cpu_us_per_msg: 4,
  sub_cpu_us_per_msg: 10,
  broker_cpu_us_per_msg: 16,
  relay_cpu_us_per_msg: 10,
};

describe('bench bounds (issue 7)', () => {
  it('totalCpuUs adds every process of the row, and refuses a row with a part missing', () => {
    expect(totalCpuUs(BROKER_BOUND)).toBe(40);
    const { relay_cpu_us_per_msg: _relay, ...throughputRow } = BROKER_BOUND; // rows without Node-RED
    expect(totalCpuUs(throughputRow)).toBe(30);
    expect(totalCpuUs({ ...BROKER_BOUND, broker_cpu_us_per_msg: null })).toBeUndefined();
    expect(totalCpuUs({ e2e_msgs_per_s: 1, pub_cpu_us_per_msg: 1 })).toBeUndefined();
  });

  it('runLoad: busy shares and the rates at which broker (one core) and machine would be full', () => {
    const l = runLoad(BROKER_BOUND, 2);
    expect(l.broker_busy).toBeCloseTo(0.8, 10);
    expect(l.machine_busy).toBeCloseTo(1.0, 10);
    expect(l.broker_ceiling).toBeCloseTo(62_500, 6);
    expect(l.machine_ceiling).toBeCloseTo(50_000, 6);
    expect(runLoad({ ...BROKER_BOUND, e2e_msgs_per_s: null }, 2)).toBeUndefined();
  });

  it('bestRatios takes the lower ceiling of our run over their rate, per repetition pair, and names it', () => {
    const ours = [
      run(BROKER_BOUND),
      run({ ...BROKER_BOUND, relay_cpu_us_per_msg: 2 }),
      run(BROKER_BOUND, 'failed'),
    ];
    const theirs = [
      run({ e2e_msgs_per_s: 40_000 }),
      run({ e2e_msgs_per_s: 40_000 }),
      run({ e2e_msgs_per_s: 1 }),
    ];
    const best = bestRatios(ours, theirs, 2);
    // pair 1: machine 50,000 < broker 62,500 → 1.25; pair 2: 32 µs in all → machine 62,500 ≥ broker 62,500
    expect(best).toHaveLength(2);
    expect(best[0]).toEqual({ ratio: 1.25, bound: 'machine' });
    expect(best[1].bound).toBe('broker');
    expect(best[1].ratio).toBeCloseTo(62_500 / 40_000, 10);
  });

  it('the report names the ceiling next to a missed rate target and lists every rate row', () => {
    const def = {
      id: 'relay',
      title: 'relay',
      group: 'nodered',
      broker: 'queue',
      config: { ours: '', mqttjs: '' },
      detail: true,
      metrics: [{ key: 'e2e_msgs_per_s', label: 'msgs/s', better: 'higher', target: { ratio: 1.5 } }],
    };
    const oursM = { ...BROKER_BOUND, relay_cpu_us_per_msg: 2 }; // 32 µs in all: mosquitto is the limit
    const res = summarize(
      {
        date: '2026-12-03T00:00:00Z',
        mode: 'test',
        reps: 1,
        duration_s: 1,
        machine: { nproc: 2 },
        brokers: {},
      },
      [def],
      { relay: { ours: [run(oursM)], mqttjs: [run({ ...BROKER_BOUND, e2e_msgs_per_s: 45_000 })] } },
    );
    const t = res.targets[0];
    expect(t.met).toBe(false); // 50,000 / 45,000 = 1.11
    expect(t.note).toMatch(/at most ≈ 1\.39 × possible here: mosquitto/);
    const md = markdown({
      ...res,
      meta: {
        ...res.meta,
        machine: {
          ...res.meta.machine,
          cpu: 'x',
          mem_GiB: 1,
          kernel: 'k',
          loadavg_start: [0],
          loadavg_end: [0],
        },
      },
    });
    expect(md).toContain('## What bounds the rate (estimates)');
    expect(md).toMatch(/\| relay \| ours \| 50,000 \| 80 % \| 80 % \| 62,500 \| 62,500 \| \*\*1\.39\*\*/);
  });
});
