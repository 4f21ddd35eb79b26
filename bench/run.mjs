// `npm run bench`: our client against MQTT.js 5, side by side in one run, on one mosquitto per broker
// configuration started here. Repetitions are interleaved (ours, MQTT.js, ours, MQTT.js, …) and every client
// runs in its own process, so CPU is counted per side. Writes bench/results/latest.{json,md} and ratios.svg.
//   REPS=n          repetitions (default 5; 1 with BENCH_QUICK / BENCH_SMOKE)
//   BENCH_QUICK=1   smaller counts, a short run
//   BENCH_SMOKE=1   tiny counts: only checks that every scenario runs and reports
//   BENCH_ONLY=re   only the rows whose id matches the regular expression
//   BENCH_OUT=dir   where to write the results (default bench/results)
//   BENCH_CPU_PROF=dir      V8 CPU profile of every role process (summarise with bench/profile-summary.mjs)
//   BENCH_NODE_ARGS="…"     Node.js options for every role process, e.g. --trace-gc (diagnostics only)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startBroker, mosquittoVersion } from './lib/broker.mjs';
import { MODES } from './lib/modes.mjs';
import { BROKERS, jobs } from './scenarios.mjs';
import { summarize, markdown, svgChart } from './lib/report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const modeName =
  process.env.BENCH_SMOKE === '1' ? 'smoke' : process.env.BENCH_QUICK === '1' ? 'quick' : 'full';
const mode = MODES[modeName];
const reps = Number(process.env.REPS || mode.reps);
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const outDir = path.resolve(process.env.BENCH_OUT || path.join(HERE, 'results'));
const SIDES = ['ours', 'mqttjs'];
const log = (s) => process.stderr.write(s + '\n');

const allJobs = jobs(mode).filter((j) => !only || j.rows.some((r) => only.test(r.id)));
const rows = allJobs.flatMap((j) => j.rows);
const runs = Object.fromEntries(rows.map((r) => [r.id, { ours: [], mqttjs: [] }]));
const t0 = Date.now();
const loadStart = os.loadavg();

const brokers = {};
const used = new Set(rows.map((r) => r.broker));
try {
  for (const [name, b] of Object.entries(BROKERS))
    if (used.has(name)) brokers[name] = await startBroker(name, b.settings);
  log(
    `bench: ${modeName} mode, ${reps} repetition(s), ${rows.length} rows; brokers ${Object.values(brokers)
      .map((b) => `${b.name}@${b.port}`)
      .join(', ')}`,
  );
  for (let rep = 1; rep <= reps; rep++) {
    for (const job of allJobs) {
      for (const side of SIDES) {
        const started = Date.now();
        let results;
        try {
          results = await job.run({ brokers }, side, rep);
        } catch (e) {
          const reason = String(e?.message ?? e).split('\n')[0];
          results = Object.fromEntries(
            job.rows.map((r) => [r.id, { status: 'failed', reason, metrics: {} }]),
          );
        }
        for (const row of job.rows) {
          const r = results[row.id] ?? { status: 'failed', reason: 'no result', metrics: {} };
          runs[row.id][side].push(r);
          const head = row.metrics[0].key;
          log(
            `[${rep}/${reps}] ${row.id.padEnd(26)} ${side.padEnd(6)} ${r.status.padEnd(6)} ${head}=${r.metrics[head] ?? '-'}` +
              `${r.reason ? `  (${r.reason})` : ''}  ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        }
      }
    }
  }
} finally {
  for (const b of Object.values(brokers)) await b.stop();
}

const cpus = os.cpus();
const meta = {
  date: new Date().toISOString(),
  mode: modeName,
  reps,
  duration_s: Math.round((Date.now() - t0) / 1000),
  machine: {
    nproc: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    mem_GiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    loadavg_start: loadStart.map((x) => Math.round(x * 100) / 100),
    loadavg_end: os.loadavg().map((x) => Math.round(x * 100) / 100),
  },
  node: process.version,
  mosquitto: mosquittoVersion(),
  mqtt: require('mqtt/package.json').version,
  ours: JSON.parse(readFileSync(path.join(HERE, '..', 'package.json'), 'utf8')).version,
  'node-red': require('node-red/package.json').version,
  brokers: Object.fromEntries(
    Object.entries(BROKERS)
      .filter(([n]) => used.has(n))
      .map(([n, b]) => [n, { about: b.about, settings: b.settings, config: brokers[n]?.config }]),
  ),
};
const result = summarize(meta, rows, runs);
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(result, null, 1) + '\n');
const md = markdown(result);
writeFileSync(path.join(outDir, 'latest.md'), md);
writeFileSync(path.join(outDir, 'ratios.svg'), svgChart(result));
process.stdout.write(md);
log(
  `bench: results in ${path.relative(process.cwd(), outDir) || '.'}/latest.{json,md}, ratios.svg (${meta.duration_s} s)`,
);
