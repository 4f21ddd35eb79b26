// The main job until the Node-RED nodes land: start an embedded Aedes broker (or use MQTT_URL), connect a
// QMqttClient, subscribe, publish at QoS 0/1/2 and print what arrives.
import net from 'node:net';
import { Aedes } from 'aedes';
import { QMqttClient, ClientState } from '../dist/lib/index.mjs';

const url = process.env.MQTT_URL ? new URL(process.env.MQTT_URL) : undefined;
let server;
let broker;
let host = '127.0.0.1';
let port = Number(process.env.MQTT_PORT ?? 1883);
if (url) {
  host = url.hostname;
  port = Number(url.port || 1883);
} else {
  broker = await Aedes.createBroker();
  server = net.createServer(broker.handle);
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  console.log(`embedded Aedes broker on mqtt://${host}:${port}`);
}

const client = new QMqttClient();
client.setHostname(host);
client.setPort(port);
client.stateChanged.connect((s) => console.log('state:', ClientState[s]));
await client.connectToHostAsync();

const sub = await client.subscribeAsync('demo/#', 2);
sub.messageReceived.connect((m) =>
  console.log(`received ${m.topic().name()} qos=${m.qos()}: ${m.payload().toString()}`),
);

for (const qos of [0, 1, 2]) {
  const r = await client.publishAsync(`demo/qos${qos}`, `hello at QoS ${qos}`, qos);
  console.log(`published at QoS ${qos}, acknowledged with id ${r.id}`);
}
const count = Number(process.env.DEMO_SECONDS ?? 0);
if (count > 0) {
  let n = 0;
  const t = setInterval(() => client.publish('demo/tick', `tick ${++n}`, 1), 1000);
  await new Promise((r) => setTimeout(r, count * 1000));
  clearInterval(t);
}
await new Promise((r) => setTimeout(r, 200));
await client.disconnectFromHostAsync();
if (server) {
  server.close();
  broker.close();
}
