// MQTT 5 request / response (ESM): the requester sets Response Topic and Correlation Data, the responder
// answers on that topic with the same correlation data. Needs an MQTT 5 broker (mosquitto 2, EMQX, HiveMQ…).
//   MQTT_URL=mqtt://localhost:1883 node examples/scripts/request-response.mjs
import { ProtocolVersion, QMqttClient, QMqttPublishProperties } from 'node-red-contrib-qmqtt';

const url = process.env.MQTT_URL ?? 'mqtt://localhost:1883';
const service = `examples/${process.pid}/service/time`;

async function connect(name) {
  const client = new QMqttClient();
  client.setUrl(url);
  client.setProtocolVersion(ProtocolVersion.MQTT_5_0);
  client.setClientId(`${name}-${process.pid}`);
  await client.connectToHostAsync();
  return client;
}

// The responder answers every request on its Response Topic, echoing the Correlation Data
const responder = await connect('responder');
const requests = await responder.subscribeAsync(service, 1);
requests.messageReceived.connect((request) => {
  const asked = request.publishProperties();
  const answer = new QMqttPublishProperties();
  answer.setCorrelationData(asked.correlationData());
  answer.setContentType('text/plain');
  answer.userProperties().append('served-by', 'responder');
  responder.publish(asked.responseTopic(), answer, `answer to ${request.payload()}`, 1);
});

// The requester listens on its own reply topic and matches answers by correlation data
const requester = await connect('requester');
const replyTopic = `examples/${process.pid}/replies/${requester.clientId()}`;
const replies = await requester.subscribeAsync(replyTopic, 1);

function request(body, correlation) {
  return new Promise((resolve) => {
    const connection = replies.messageReceived.connect((reply) => {
      if (reply.publishProperties().correlationData().toString() !== correlation) return;
      connection.disconnect();
      resolve(reply);
    });
    const props = new QMqttPublishProperties();
    props.setResponseTopic(replyTopic);
    props.setCorrelationData(correlation);
    requester.publish(service, props, body, 1);
  });
}

for (const [body, correlation] of [
  ['what time is it?', 'req-1'],
  ['and now?', 'req-2'],
]) {
  const reply = await request(body, correlation);
  const p = reply.publishProperties();
  console.log(
    `${p.correlationData()}: ${reply.payload()} [${p.contentType()}, served-by=${p.userProperties().value('served-by')}]`,
  );
}

await Promise.all([requester.disconnectFromHostAsync(), responder.disconnectFromHostAsync()]);
