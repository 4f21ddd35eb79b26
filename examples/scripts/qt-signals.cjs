// The Qt way (CommonJS): configure with setters, react to signals, publish() returns the packet id and
// messageSent reports the broker's acknowledgement. No promises needed.
//   MQTT_URL=mqtt://localhost:1883 node examples/scripts/qt-signals.cjs
'use strict';
const { QMqttClient, SubscriptionState } = require('node-red-contrib-qmqtt');

const url = new URL(process.env.MQTT_URL ?? 'mqtt://localhost:1883');
const topic = `examples/${process.pid}/qt-signals`;

const client = new QMqttClient();
client.setHostname(url.hostname);
client.setPort(Number(url.port || 1883));
client.setClientId(`qt-signals-${process.pid}`);

const sent = new Set();
let lastReceived = false;
// done when the broker acknowledged all three (messageSent) and the last one came back (messageReceived)
const finishIfDone = () => {
  if (sent.size === 0 && lastReceived) client.disconnectFromHost();
};

client.connected.connect(() => {
  console.log('connected');
  const subscription = client.subscribe(topic, 1); // Qt: returns the QMqttSubscription at once
  subscription.stateChanged.connect((state) => {
    if (state !== SubscriptionState.Subscribed) return;
    console.log(`subscribed to ${subscription.topic().filter()}`);
    for (const text of ['one', 'two', 'three']) sent.add(client.publish(topic, text, 1));
  });
  subscription.messageReceived.connect((message) => {
    console.log(`message: ${message.payload().toString()}`);
    if (message.payload().toString() === 'three') {
      lastReceived = true;
      finishIfDone();
    }
  });
});

client.messageSent.connect((id) => {
  if (sent.delete(id) && sent.size === 0) {
    console.log('all three acknowledged by the broker');
    finishIfDone();
  }
});

client.disconnected.connect(() => console.log('disconnected'));
client.errorChanged.connect((error) => {
  console.error(`error: ${client.lastErrorDetail()?.message ?? error}`);
  process.exitCode = 1;
});

client.connectToHost();
