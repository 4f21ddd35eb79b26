// Role: on 'start', publishes rounds × count QoS 0 messages of 64 B, one per topic <prefix><i>
// (the load of the memory scenario; the same publisher serves both clients under test).
import { args, nextParentMessage, roleSetup, tell } from '../lib/common.mjs';

roleSetup();
const a = args({
  client: 'mqttjs',
  host: '127.0.0.1',
  port: 1883,
  proto: 4,
  count: 10000,
  rounds: 5,
  prefix: 'm/',
});
const lib = await import(`../clients/${a.client}.mjs`);
const c = await lib.connect({
  host: a.host,
  port: a.port,
  proto: a.proto,
  clientId: `bench-mempub-${process.pid}`,
});
const start = nextParentMessage((m) => m.type === 'start');
await tell({ type: 'ready' });
await start;
const payload = Buffer.alloc(64, 0x62);
for (let r = 0; r < a.rounds; r++) {
  for (let i = 0; i < a.count; i++) c.publish(a.prefix + i, payload, 0);
  await new Promise((res) => setImmediate(res));
}
await c.end();
await tell({ type: 'done' });
process.exit(0);
