// The qmqtt command from a script (ESM): start `qmqtt sub -F json`, publish with the library, read the JSON
// line the command printed. Shows the CLI and the library interoperating.
//   MQTT_URL=mqtt://localhost:1883 node examples/scripts/cli-in-a-script.mjs
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { QMqttClient } from 'node-red-contrib-qmqtt';

const url = new URL(process.env.MQTT_URL ?? 'mqtt://localhost:1883');
const topic = `examples/${process.pid}/cli`;
// the package's own bin/qmqtt.js, found through the package name
const bin = join(
  dirname(createRequire(import.meta.url).resolve('node-red-contrib-qmqtt/package.json')),
  'bin',
  'qmqtt.js',
);

const sub = spawn(process.execPath, [
  bin,
  'sub',
  '-h',
  url.hostname,
  '-p',
  url.port || '1883',
  '-t',
  topic,
  '-q',
  '1',
  '-C',
  '1',
  '-F',
  'json',
  '-d',
]);
let out = '';
sub.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
// -d reports on stderr when the subscription is acknowledged
await new Promise((resolve) =>
  sub.stderr.on('data', (chunk) => String(chunk).includes('subscribed to') && resolve()),
);

const client = new QMqttClient();
client.setUrl(url.href);
await client.connectToHostAsync();
await client.publishAsync(topic, JSON.stringify({ temperature: 21.5 }), 1);
await client.disconnectFromHostAsync();

const [code] = await once(sub, 'close');
const line = JSON.parse(out);
console.log(`qmqtt sub exited with ${code} and printed: qos ${line.qos}, payload ${line.payload}`);
