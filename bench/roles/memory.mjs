// Role: memory of one client holding `count` exact-topic subscriptions (one handler per filter), then
// receiving the messages a separate publisher sends to them (rounds × count, QoS 0). Run with --expose-gc.
// Says 'subscribed' when ready for the publisher; 'result' when every message was dispatched (or on 'finish').
import { args, nextParentMessage, now, roleSetup, round, tell } from '../lib/common.mjs';

roleSetup();
const a = args({
  client: 'ours',
  host: '127.0.0.1',
  port: 1883,
  proto: 4,
  count: 10000,
  rounds: 5,
  prefix: 'm/',
});
const MB = 1024 * 1024;
const gc = globalThis.gc ?? (() => {});
const snap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heap: m.heapUsed / MB };
};
const lib = await import(`../clients/${a.client}.mjs`);
const s0 = snap(); // runtime + library loaded, nothing connected
const c = await lib.connect({
  host: a.host,
  port: a.port,
  proto: a.proto,
  clientId: `bench-mem-${process.pid}`,
});
await new Promise((r) => setTimeout(r, 100));
const s1 = snap(); // one idle connected client

let dispatched = 0;
const filters = [];
for (let j = 0; j < a.count; j++) filters.push(a.prefix + j);
const tSub0 = now();
await c.subscribeWithHandlers(filters, 0, () => () => {
  dispatched++;
});
const subMs = now() - tSub0;
const s2 = snap(); // subscribed, handlers attached

let peak = Math.max(s2.rss, process.memoryUsage.rss() / MB);
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss() / MB)), 20);
const expected = a.count * a.rounds;
let finishRequested = false;
nextParentMessage((m) => m.type === 'finish').then(() => (finishRequested = true));
await tell({ type: 'subscribed' });
await nextParentMessage((m) => m.type === 'start');
const tD0 = now();
let tLast = tD0;
while (dispatched < expected && !finishRequested) {
  await new Promise((r) => setTimeout(r, 5));
  tLast = now();
}
clearInterval(sampler);
const dispMs = tLast - tD0;
const s3 = snap();
await tell({
  type: 'result',
  dispatched,
  expected,
  rss_base_MB: round(s0.rss, 1),
  rss_connected_MB: round(s1.rss, 1),
  rss_subscribed_MB: round(s2.rss, 1),
  rss_after_dispatch_MB: round(s3.rss, 1),
  rss_peak_MB: round(Math.max(peak, s3.rss), 1),
  heap_connected_MB: round(s1.heap, 2),
  heap_subscribed_MB: round(s2.heap, 2),
  heap_after_dispatch_MB: round(s3.heap, 2),
  heap_per_sub_bytes: round(((s2.heap - s1.heap) * MB) / a.count, 0),
  subscribe_ms: round(subMs, 1),
  dispatch_msgs_per_s: round((dispatched / dispMs) * 1000, 0),
});
await c.end().catch(() => {});
process.exit(0);
