// Role: one subscriber. Connects, subscribes, says ready; after 'start' counts messages (unique, duplicate,
// out of order, by the 4-byte sequence number) and sends 'result' when all n arrived, or when nothing came
// for `idle` ms, or on 'finish'. CPU is counted from 'start' to the result.
import { args, cpuMs, now, roleSetup, tell } from '../lib/common.mjs';

roleSetup();
const a = args({
  client: 'ours',
  host: '127.0.0.1',
  port: 1883,
  proto: 4,
  topic: 'bench/t',
  qos: 0,
  n: 1000,
  idle: 5000,
});
const lib = await import(`../clients/${a.client}.mjs`);
const c = await lib.connect({
  host: a.host,
  port: a.port,
  proto: a.proto,
  clientId: `bench-sub-${process.pid}`,
});
await c.subscribe(a.topic, a.qos);

const seen = new Uint8Array(a.n);
let count = 0;
let uniq = 0;
let dups = 0;
let ooo = 0;
let lastSeq = -1;
let first = 0;
let last = 0;
let bytes = 0;
let startT = 0;
let cpu0 = null;
let finished = false;
let timer;

c.onMessage((payload) => {
  const ts = now();
  if (count === 0) first = ts;
  last = ts;
  count++;
  bytes += payload.length;
  const s = payload.readUInt32BE(0);
  if (s < a.n) {
    if (seen[s]) dups++;
    else {
      seen[s] = 1;
      uniq++;
    }
  }
  if (s < lastSeq) ooo++;
  lastSeq = s;
  if (uniq === a.n) finish('complete');
});

function finish(reason) {
  if (finished) return;
  finished = true;
  clearInterval(timer);
  const cpu = cpu0 ? cpuMs(cpu0) : null;
  tell({ type: 'result', reason, count, uniq, dups, ooo, bytes, first, last, cpu_ms: cpu });
}

process.on('message', (m) => {
  if (m.type === 'start') {
    startT = now();
    cpu0 = process.cpuUsage();
    timer = setInterval(() => {
      if (now() - Math.max(startT, last) > a.idle) finish('idle');
    }, 50);
  } else if (m.type === 'finish') finish('stopped');
  else if (m.type === 'exit')
    c.end()
      .catch(() => {})
      .finally(() => process.exit(0));
});
await tell({ type: 'ready' });
