// Role: one publisher. Connects, says ready; on 'start' publishes n messages of `size` bytes (4-byte sequence
// number first) and says 'published' when the last completion arrived (or, fire-and-forget, when the last
// publish call returned). When completions stop arriving for `stallMs` it says 'published' with `stalled`.
// On 'report' answers with its CPU time since 'start' and the completions so far; on 'exit' disconnects.
//   --window=-1  fire and forget, no completion (QoS 0 only)
//   --window=0   every publish at once, each with a completion callback / promise
//   --window=W   at most W publishes awaiting their completion at any time
import { args, cpuMs, makePayload, nextParentMessage, now, roleSetup, tell } from '../lib/common.mjs';

roleSetup();
const a = args({
  client: 'ours',
  host: '127.0.0.1',
  port: 1883,
  proto: 4,
  topic: 'bench/t',
  qos: 0,
  n: 1000,
  size: 64,
  window: 0,
  maxInflight: 0,
  stallMs: 5000,
});
const lib = await import(`../clients/${a.client}.mjs`);
const c = await lib.connect({
  host: a.host,
  port: a.port,
  proto: a.proto,
  clientId: `bench-pub-${process.pid}`,
  maxInflight: a.maxInflight || undefined,
});

let cpu0 = null;
let done = 0;
process.on('message', (m) => {
  if (m.type === 'report') tell({ type: 'cpu', cpu_ms: cpu0 ? cpuMs(cpu0) : null, completed: done });
  else if (m.type === 'exit')
    c.end()
      .catch(() => {})
      .finally(() => process.exit(0));
});
const start = nextParentMessage((m) => m.type === 'start');
await tell({ type: 'ready' });
await start;

cpu0 = process.cpuUsage();
const t0 = now();
let errors = 0;
let firstError = null;
if (a.window < 0) {
  for (let i = 0; i < a.n; i++) c.publish(a.topic, makePayload(i, a.size), a.qos);
  await tell({ type: 'published', t0, t1: now(), errors });
} else {
  const limit = a.window > 0 ? a.window : Infinity;
  let sent = 0;
  let outstanding = 0;
  let pumping = false;
  let seen = 0;
  let lastProgress = now();
  const watchdog = setInterval(() => {
    if (done !== seen) {
      seen = done;
      lastProgress = now();
    } else if (now() - lastProgress > a.stallMs) {
      clearInterval(watchdog);
      tell({ type: 'published', stalled: true, completed: done, t0, t1: now(), errors });
    }
  }, 100);
  const finished = () => {
    clearInterval(watchdog);
    tell({ type: 'published', t0, t1: now(), errors, completed: done, first_error: firstError });
  };
  const onDone = (err) => {
    if (err) {
      errors++;
      firstError ??= String(err.message ?? err);
    }
    outstanding--;
    done++;
    if (done === a.n) finished();
    else if (!pumping && sent < a.n) pump();
  };
  const pump = () => {
    pumping = true;
    while (sent < a.n && outstanding < limit) {
      const i = sent++;
      outstanding++;
      c.publishCb(a.topic, makePayload(i, a.size), a.qos, onDone);
    }
    pumping = false;
  };
  pump();
}
