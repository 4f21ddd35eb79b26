// Role: connect time. n sequential cycles of new client → CONNECT → CONNACK → disconnect, after warm-up.
import { args, now, percentile, roleSetup, round, tell } from '../lib/common.mjs';

roleSetup();
const a = args({ client: 'ours', host: '127.0.0.1', port: 1883, proto: 4, n: 200, warmup: 20 });
const lib = await import(`../clients/${a.client}.mjs`);
const conn = [];
const total = [];
for (let i = 0; i < a.warmup + a.n; i++) {
  const t0 = now();
  const c = await lib.connect({
    host: a.host,
    port: a.port,
    proto: a.proto,
    clientId: `bench-conn-${process.pid}-${i}`,
  });
  const t1 = now();
  await c.end();
  const t2 = now();
  if (i >= a.warmup) {
    conn.push(t1 - t0);
    total.push(t2 - t0);
  }
}
conn.sort((x, y) => x - y);
total.sort((x, y) => x - y);
await tell({
  type: 'result',
  samples: conn.length,
  connack_p50_ms: round(percentile(conn, 50), 3),
  connack_p99_ms: round(percentile(conn, 99), 3),
  cycle_p50_ms: round(percentile(total, 50), 3),
  cycles_per_s: round(1000 / (total.reduce((s, x) => s + x, 0) / total.length), 1),
});
process.exit(0);
