// Role: requester for round-trip latency. Publishes one request on --req and waits for its echo on --resp
// before sending the next (4 broker hops per round trip). Warm-up round trips are not counted; the run
// stops after n round trips or after capMs (a client stalled by Nagle + delayed ACK collects fewer).
import { args, nextParentMessage, now, percentile, roleSetup, round, tell } from '../lib/common.mjs';

roleSetup();
const a = args({
  client: 'ours',
  host: '127.0.0.1',
  port: 1883,
  proto: 4,
  qos: 0,
  n: 2000,
  warmup: 100,
  warmupMs: 1000,
  capMs: 8000,
  size: 64,
  req: 'r',
  resp: 's',
});
const lib = await import(`../clients/${a.client}.mjs`);
const c = await lib.connect({
  host: a.host,
  port: a.port,
  proto: a.proto,
  clientId: `bench-req-${process.pid}`,
});
await c.subscribe(a.resp, a.qos);
let waiter = null;
c.onMessage((p) => {
  const w = waiter;
  waiter = null;
  if (w) w(p);
});
process.on('message', (m) => {
  if (m.type === 'exit')
    c.end()
      .catch(() => {})
      .finally(() => process.exit(0));
});
const start = nextParentMessage((m) => m.type === 'start');
await tell({ type: 'ready' });
await start;

const base = Buffer.alloc(a.size, 0x61);
const rtts = [];
let lost = 0;
async function roundTrip(i) {
  const payload = Buffer.from(base);
  payload.writeUInt32BE(i >>> 0, 0);
  const t0 = now();
  const got = new Promise((r) => (waiter = r));
  c.publish(a.req, payload, a.qos);
  let timer;
  const p = await Promise.race([got, new Promise((r) => (timer = setTimeout(() => r(null), 5000)))]);
  clearTimeout(timer);
  if (p === null || p.readUInt32BE(0) !== i >>> 0) {
    lost++;
    return null;
  }
  return (now() - t0) * 1000; // µs
}
let seq = 0;
const w0 = now();
for (let i = 0; i < a.warmup && now() - w0 < a.warmupMs; i++) await roundTrip(seq++);
const t0 = now();
while (rtts.length < a.n && now() - t0 < a.capMs) {
  const r = await roundTrip(seq++);
  if (r !== null) rtts.push(r);
}
const total = now() - t0;
rtts.sort((x, y) => x - y);
await tell({
  type: 'result',
  samples: rtts.length,
  lost,
  p50_us: round(percentile(rtts, 50), 0),
  p90_us: round(percentile(rtts, 90), 0),
  p99_us: round(percentile(rtts, 99), 0),
  max_us: round(rtts[rtts.length - 1], 0),
  round_trips_per_s: round((rtts.length / total) * 1000, 0),
});
