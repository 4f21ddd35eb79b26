#!/usr/bin/env node
/**
 * `npm run fuzz`: coverage-guided fuzzing of the inbound path with Jazzer.js (libFuzzer), against the built
 * dist/lib (`npm run fuzz` builds first).
 *
 *   node test/fuzz/run.mjs [--seconds N] [--targets decoder,inbound-client] [--quiet] [--no-fallback] [--smoke]
 *   FUZZ_SECONDS=600 npm run fuzz          # ten minutes per target
 *   FUZZ_STRICT=1 npm run fuzz             # stop on known defects too (test/fuzz/known-defects.js)
 *
 * The corpus lives in node_modules/.cache/qmqtt-fuzz/<target>/ (kept between runs, seeded with valid server
 * packets of every type at levels 3.1.1 and 5.0); a crash is written to test/fuzz/crashes/ and the run exits 1.
 * Turn each crash into a test in test/fuzz/regressions.test.ts.
 *
 * Jazzer.js 4.0.0 ships its native addon prebuilt for glibc ≥ 2.38 / libstdc++ of GCC 13; on older systems
 * (Debian 12) jazzer-compat.mjs patches three symbol references so that it loads (see there). Where it still
 * cannot load, this script says why and falls back to the fast-check-driven fuzzer of test/fuzz/fuzz.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureJazzerLoads } from './jazzer-compat.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(import.meta.url);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const seconds = Number(arg('seconds', process.env.FUZZ_SECONDS ?? '60'));
/**
 * --smoke: a fixed number of inputs per target, with the instrumentation narrowed to the inbound path and the
 * bug detectors off, so that Jazzer.js starts in about two seconds (the short run inside `npm test`).
 */
const smoke = process.argv.includes('--smoke');
const SMOKE_RUNS = { decoder: 2000, 'inbound-client': 300 };
const targets = arg('targets', 'decoder,inbound-client').split(',');
const quiet = process.argv.includes('--quiet');
const cacheDir = path.join(root, 'node_modules/.cache/qmqtt-fuzz');
// a smoke run (inside the test suite) must not leave files in the work tree; its log shows any crash
const crashDir = process.argv.includes('--smoke')
  ? path.join(cacheDir, 'crashes')
  : path.join(here, 'crashes');

if (!fs.existsSync(path.join(root, 'dist/lib/index.js'))) {
  console.error('dist/lib is missing: run `npm run build` first (npm run fuzz does).');
  process.exit(2);
}

/** Valid server packets of every type, at 3.1.1 and 5.0, as seeds (prefixed with the targets' control bytes). */
function writeSeeds(target, dir) {
  const { encodePacket } = require(path.join(root, 'dist/lib/packet/codec.js'));
  const packets = [
    { cmd: 'connack', sessionPresent: false, returnCode: 0, reasonCode: 0 },
    { cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 0, retain: false, dup: false },
    {
      cmd: 'publish',
      topic: 'a/b',
      payload: Buffer.from('x'),
      qos: 1,
      messageId: 7,
      retain: true,
      dup: false,
    },
    {
      cmd: 'publish',
      topic: 'a/b',
      payload: Buffer.from('x'),
      qos: 2,
      messageId: 8,
      retain: false,
      dup: true,
    },
    { cmd: 'puback', messageId: 1, reasonCode: 0 },
    { cmd: 'pubrec', messageId: 2, reasonCode: 0 },
    { cmd: 'pubrel', messageId: 8, reasonCode: 0 },
    { cmd: 'pubcomp', messageId: 2, reasonCode: 0 },
    { cmd: 'suback', messageId: 3, granted: [2] },
    { cmd: 'suback', messageId: 3, granted: [0, 1, 2, 0x80] },
    { cmd: 'unsuback', messageId: 1, granted: [0] },
    { cmd: 'pingresp' },
  ];
  const v5only = [
    {
      cmd: 'publish',
      topic: 't',
      payload: Buffer.from('x'),
      qos: 1,
      messageId: 9,
      retain: false,
      dup: false,
      properties: { topicAlias: 1, userProperties: { k: ['a', 'b'] }, subscriptionIdentifier: [1, 2] },
    },
    {
      cmd: 'publish',
      topic: '',
      payload: Buffer.alloc(0),
      qos: 0,
      retain: false,
      dup: false,
      properties: { topicAlias: 1 },
    },
    {
      cmd: 'puback',
      messageId: 1,
      reasonCode: 0x10,
      properties: { reasonString: 'r', userProperties: { a: 'b' } },
    },
    { cmd: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'bye', serverReference: 'h:1' } },
    {
      cmd: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'm', authenticationData: Buffer.from('d') },
    },
    {
      cmd: 'connack',
      sessionPresent: true,
      reasonCode: 0,
      properties: { receiveMaximum: 2, topicAliasMaximum: 3, maximumPacketSize: 200, maximumQoS: 1 },
    },
  ];
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  for (const version of [4, 5]) {
    for (const p of version === 5 ? [...packets, ...v5only] : packets) {
      let bytes;
      try {
        bytes = encodePacket(p, version);
      } catch {
        continue;
      }
      const controls =
        target === 'decoder'
          ? [[version % 3, 0]]
          : [
              [version === 5 ? 1 : 0, 0],
              [version === 5 ? 3 : 2, 5],
            ];
      for (const c of controls)
        fs.writeFileSync(path.join(dir, `seed-${n++}`), Buffer.concat([Buffer.from(c), bytes]));
    }
  }
}

function fallback(reason) {
  console.error(`Jazzer.js cannot run here: ${reason}`);
  if (process.argv.includes('--no-fallback')) process.exit(3);
  console.error('Falling back to the fast-check-driven fuzzer (test/fuzz/fuzz.test.ts) for the same time.');
  const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz/fuzz.test.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FUZZ_SECONDS: String(seconds) },
  });
  process.exit(r.status ?? 1);
}

let loads = false;
try {
  loads = ensureJazzerLoads({ quiet });
} catch (e) {
  fallback(e instanceof Error ? e.message : String(e));
}
if (!loads) fallback('its native addon does not load on this system (see the message above)');

function runTarget(target) {
  const corpus = path.join(cacheDir, target);
  if (!fs.existsSync(corpus) || fs.readdirSync(corpus).length === 0) writeSeeds(target, corpus);
  fs.mkdirSync(crashDir, { recursive: true });
  const cli = path.join(path.dirname(require.resolve('@jazzer.js/core/package.json')), 'dist/cli.js');
  const args = [
    cli,
    path.join(here, 'jazzer', `${target}.js`),
    ...(target === 'decoder' ? ['--sync'] : []),
    // the bug detectors (prototype pollution, command injection, …) double the start-up time; a smoke run skips them
    ...(smoke ? ['--disable_bug_detectors=.*'] : []),
    ...(smoke
      ? ['-i', 'dist/lib/packet', '-i', 'dist/lib/connection', '-i', 'dist/lib/core']
      : ['-i', 'dist/lib', '-i', 'mqtt-packet']),
    '--',
    smoke ? `-runs=${SMOKE_RUNS[target] ?? 500}` : `-max_total_time=${seconds}`,
    `-artifact_prefix=${crashDir}${path.sep}${target}-`,
    '-max_len=512',
    '-print_final_stats=1',
    corpus,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (b) => {
      log += b.toString();
      if (log.length > 200_000) log = log.slice(-100_000);
      if (!quiet) process.stderr.write(b);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => {
      const runs = /Done (\d+) runs in (\d+) second/.exec(log);
      resolve({
        target,
        code,
        runs: runs ? Number(runs[1]) : undefined,
        secs: runs ? Number(runs[2]) : undefined,
        log,
      });
    });
  });
}

const results = await Promise.all(targets.map(runTarget));
let failed = false;
for (const r of results) {
  const summary = `${r.target}: ${r.runs ?? '?'} inputs in ${r.secs ?? '?'} s, exit ${r.code}`;
  if (r.code !== 0) {
    failed = true;
    console.error(
      `CRASH ${summary}\n${r.log
        .split('\n')
        .filter((l) => !/^(#|")/.test(l))
        .slice(-25)
        .join('\n')}`,
    );
  } else console.error(`ok ${summary}`);
}
process.exit(failed ? 1 : 0);
