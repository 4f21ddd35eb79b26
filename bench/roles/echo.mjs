// Role: echo. Every message on --req is published again on --resp, same payload and QoS.
import { args, roleSetup, tell } from '../lib/common.mjs';

roleSetup();
const a = args({ client: 'ours', host: '127.0.0.1', port: 1883, proto: 4, qos: 0, req: 'r', resp: 's' });
const lib = await import(`../clients/${a.client}.mjs`);
const c = await lib.connect({
  host: a.host,
  port: a.port,
  proto: a.proto,
  clientId: `bench-echo-${process.pid}`,
});
await c.subscribe(a.req, a.qos);
c.onMessage((payload) => c.publish(a.resp, payload, a.qos));
process.on('message', (m) => {
  if (m.type === 'exit')
    c.end()
      .catch(() => {})
      .finally(() => process.exit(0));
});
await tell({ type: 'ready' });
