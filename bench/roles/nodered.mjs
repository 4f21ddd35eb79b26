// Role: a Node-RED 4.1 runtime (embedded, no editor, no HTTP) running the relay flow written by the
// orchestrator into --userDir/flows.json. With --nodesDir the package's own nodes (package.json "node-red"
// section) are loaded from there. Says 'ready' once the flow relays: a probe message sent on every relay's
// input topic came back on its output topic.
import http from 'node:http';
import { createRequire } from 'node:module';
import { QMqttClient } from '../../dist/lib/index.mjs';
import { args, now, roleSetup, sleep, tell } from '../lib/common.mjs';

roleSetup();
const a = args({ userDir: '', nodesDir: '', host: '127.0.0.1', port: 1883, relays: '' });
const require = createRequire(import.meta.url);
const RED = require('node-red');
const settings = {
  userDir: a.userDir,
  flowFile: 'flows.json',
  credentialSecret: false,
  httpAdminRoot: false,
  httpNodeRoot: false,
  disableEditor: true,
  uiPort: 0,
  logging: { console: { level: 'warn', metrics: false, audit: false } },
  telemetry: { enabled: false },
  diagnostics: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  editorTheme: { tours: false, palette: {} },
};
if (a.nodesDir) settings.nodesDir = [a.nodesDir];
RED.init(http.createServer(), settings);
await RED.start();

// wait until every relay (in-topic:out-topic, comma separated) passes a probe message
const relays = a.relays.split(',').map((r) => r.split(':'));
const probe = new QMqttClient();
probe.setHostname(a.host);
probe.setPort(a.port);
probe.setClientId(`bench-probe-${process.pid}`);
await probe.connectToHostAsync();
const pending = new Set(relays.map(([, out]) => out));
probe.messageReceived.connect((_p, topic) => pending.delete(topic.name()));
for (const [, out] of relays) await probe.subscribeAsync(out, 0);
const deadline = now() + 30000;
while (pending.size > 0) {
  if (now() > deadline) throw new Error(`the Node-RED flow did not relay within 30 s: ${[...pending]}`);
  for (const [inp, out] of relays)
    if (pending.has(out)) probe.publish(inp, Buffer.from([0xff, 0xff, 0xff, 0xff]), 0);
  await sleep(100);
}
await probe.disconnectFromHostAsync();
await sleep(200); // let the last probes leave the flow

process.on('message', (m) => {
  if (m.type === 'exit') RED.stop().finally(() => process.exit(0));
});
await tell({ type: 'ready' });
