// Topic names and filters (CommonJS): validation, wildcard matching, and how one message reaches every
// subscription whose filter matches it.
//   MQTT_URL=mqtt://localhost:1883 node examples/scripts/topic-filters.cjs
'use strict';
const { QMqttClient, QMqttTopicFilter, QMqttTopicName } = require('node-red-contrib-qmqtt');

async function main() {
  const base = `examples/${process.pid}/home`;

  // Local checks, no broker needed
  console.log(`"home/+/temperature" valid filter: ${new QMqttTopicFilter('home/+/temperature').isValid()}`);
  console.log(`"home/+/temperature" valid topic name: ${new QMqttTopicName('home/+/temperature').isValid()}`);
  console.log(
    `"home/#" matches "home/kitchen/light": ${new QMqttTopicFilter('home/#').match('home/kitchen/light')}`,
  );

  const client = new QMqttClient();
  client.setUrl(process.env.MQTT_URL ?? 'mqtt://localhost:1883');
  await client.connectToHostAsync();

  const temperatures = await client.subscribeAsync(`${base}/+/temperature`, 1);
  const everything = await client.subscribeAsync(`${base}/#`, 1);
  const log = [];
  temperatures.messageReceived.connect((m) =>
    log.push(`temperatures <- ${m.topic().levels().slice(-2).join('/')}`),
  );
  everything.messageReceived.connect((m) =>
    log.push(`everything   <- ${m.topic().levels().slice(-2).join('/')}`),
  );

  await client.publishAsync(`${base}/kitchen/temperature`, '21', 1);
  await client.publishAsync(`${base}/kitchen/light`, 'on', 1);
  // a subscription is acknowledged once the broker answered; wait for our own last message to come back
  await new Promise((resolve) => {
    const check = () => (log.length >= 3 ? resolve() : setTimeout(check, 10));
    check();
  });
  for (const line of log.sort()) console.log(line);
  await client.disconnectFromHostAsync();
}

main().catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});
