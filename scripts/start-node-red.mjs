// `npm start`: an embedded Aedes broker on 127.0.0.1 (or the broker in MQTT_URL), then Node-RED (the
// devDependency) in the same process with this package loaded and the example flows deployed, userDir in
// .node-red-demo/ (gitignored). Open the editor and watch the debug sidebar.
//
//   MQTT_URL=mqtt://host:1883 npm start     use a real broker (MQTT 5 examples are enabled then)
//   MQTT_PORT=1884 npm start                port of the embedded broker (default 1883)
//   NODE_RED_PORT=1881 npm start            port of the editor (default 1880)
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const userDir = path.resolve(process.env.QMQTT_DEMO_DIR ?? path.join(root, '.node-red-demo'));
const uiPort = Number(process.env.NODE_RED_PORT ?? 1880);

/** The broker the flows talk to: MQTT_URL, or an embedded Aedes started here. */
async function startBroker() {
  if (process.env.MQTT_URL) {
    const u = new URL(process.env.MQTT_URL);
    const transport = { 'mqtt:': 'tcp', 'tcp:': 'tcp', 'mqtts:': 'tls', 'ws:': 'ws', 'wss:': 'wss' }[
      u.protocol
    ];
    if (!transport) throw new Error(`MQTT_URL: unsupported scheme ${u.protocol}`);
    const defaults = { tcp: 1883, tls: 8883, ws: 80, wss: 443 };
    return {
      host: u.hostname,
      port: Number(u.port || defaults[transport]),
      transport,
      wsPath: u.pathname && u.pathname !== '/' ? u.pathname : '/mqtt',
      v5: true,
      close: async () => {},
    };
  }
  const { Aedes } = await import('aedes');
  const aedes = await Aedes.createBroker();
  const server = net.createServer(aedes.handle);
  const port = Number(process.env.MQTT_PORT ?? 1883);
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  console.log(`embedded Aedes broker (MQTT 3.1.1) on mqtt://127.0.0.1:${port}`);
  return {
    host: '127.0.0.1',
    port,
    transport: 'tcp',
    wsPath: '/mqtt',
    v5: false,
    close: () => new Promise((r) => aedes.close(() => server.close(() => r()))),
  };
}

/** Every example flow, each on its tab, pointed at `broker`; MQTT 5 tabs are disabled on Aedes. */
function demoFlows(broker) {
  const dir = path.join(root, 'examples');
  const byId = new Map();
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const nodes = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const needsV5 = nodes.some((n) => n.type === 'qmqtt-broker' && String(n.protocolVersion) === '5');
    const needsAuth = nodes.some((n) => n.type === 'qmqtt-broker' && n.authMethod);
    for (const n of nodes) {
      if (n.type === 'tab' && ((needsV5 && !broker.v5) || needsAuth)) n.disabled = true;
      if (n.type === 'qmqtt-broker')
        Object.assign(n, {
          broker: broker.host,
          port: broker.port,
          transport: broker.transport,
          wsPath: broker.wsPath,
        });
      byId.set(n.id, n);
    }
  }
  return [...byId.values()];
}

/** userDir with this package linked into node_modules, so Node-RED loads it as an installed module. */
function prepareUserDir(flows) {
  fs.mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  const link = path.join(userDir, 'node_modules', 'node-red-contrib-qmqtt');
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(root, link, 'dir');
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify(
      { name: 'node-red-qmqtt-demo', private: true, dependencies: { 'node-red-contrib-qmqtt': '*' } },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
}

const broker = await startBroker();
prepareUserDir(demoFlows(broker));

const RED = require(process.env.QMQTT_NODE_RED ?? 'node-red');
const server = http.createServer();
const express = require(require.resolve('express', { paths: [require.resolve('node-red')] }));
const app = express();
server.on('request', app);
RED.init(server, {
  userDir,
  flowFile: 'flows.json',
  credentialSecret: false,
  httpAdminRoot: '/',
  httpNodeRoot: '/api',
  uiPort,
  logging: { console: { level: process.env.NODE_RED_LOG_LEVEL ?? 'info' } },
  editorTheme: { tours: false, projects: { enabled: false } },
  // a demo: no first-run prompt between the newcomer and the debug sidebar
  telemetry: { enabled: false },
  functionGlobalContext: {},
});
app.use('/', RED.httpAdmin);
app.use('/api', RED.httpNode);
await new Promise((resolve, reject) => server.once('error', reject).listen(uiPort, '127.0.0.1', resolve));
await RED.start();
console.log(`\nNode-RED ${RED.version()} with node-red-contrib-qmqtt: open http://127.0.0.1:${uiPort}/`);
console.log(
  'The example flows are deployed; messages appear in the debug sidebar (the bug icon, top right).\n',
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await RED.stop();
  server.close();
  await broker.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
