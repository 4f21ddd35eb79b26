// Publish and subscribe with the promise forms (ESM).
//   MQTT_URL=mqtt://localhost:1883 node examples/scripts/publish-subscribe.mjs
import { QMqttClient, ClientState } from 'node-red-contrib-qmqtt';

const url = process.env.MQTT_URL ?? 'mqtt://localhost:1883';
const topic = `examples/${process.pid}/kitchen/temperature`;

const client = new QMqttClient();
client.setUrl(url);
client.stateChanged.connect((state) => console.log(`state: ${ClientState[state]}`));

await client.connectToHostAsync(); // resolves on CONNACK, rejects with a QMqttError

// the subscription is acknowledged (SUBACK) before anything is published
const subscription = await client.subscribeAsync(topic.replace('kitchen', '+'), 1);
const received = new Promise((resolve) => subscription.messageReceived.connect(resolve));

const { id } = await client.publishAsync(topic, '21.5', 1); // resolves on PUBACK
console.log(`published with packet id ${id}`);

const message = await received;
console.log(
  `received ${message.topic().name().split('/').slice(2).join('/')}: ${message.payload()} (QoS ${message.qos()})`,
);

await client.disconnectFromHostAsync();
