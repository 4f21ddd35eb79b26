// Adapter: node-red-contrib-qmqtt's QMqttClient behind the small interface every benchmark role uses.
// Each method is the library's natural API for the job (publish() for fire-and-forget, publishAsync() for a
// completion, one subscription object per filter with its own messageReceived signal).
import { QMqttClient } from '../../dist/lib/index.mjs';

export const name = 'ours';

export async function connect({ host, port, proto = 4, clientId, maxInflight }) {
  const c = new QMqttClient();
  c.setHostname(host);
  c.setPort(port);
  c.setProtocolVersion(proto);
  c.setClientId(clientId);
  if (maxInflight) c.setMaxInflight(maxInflight);
  await c.connectToHostAsync();
  return wrap(c);
}

function wrap(c) {
  return {
    raw: c,
    /** Fire and forget. */
    publish(topic, payload, qos) {
      if (c.publish(topic, payload, qos, false) < 0) throw new Error('publish refused');
    },
    /** `done(err)` once complete: written (QoS 0), PUBACK (QoS 1), PUBCOMP (QoS 2). */
    publishCb(topic, payload, qos, done) {
      c.publishAsync(topic, payload, qos, false).then(() => done(null), done);
    },
    async subscribe(filter, qos) {
      await c.subscribeAsync(filter, qos);
    },
    /** One handler per filter: our subscriptions dispatch per filter themselves (a topic trie). */
    async subscribeWithHandlers(filters, qos, handlerFor) {
      // 1000 at a time, as MQTT.js sends 1000 filters per SUBSCRIBE (ours share one SUBSCRIBE per turn too)
      for (let i = 0; i < filters.length; i += 1000) {
        const batch = filters.slice(i, i + 1000);
        const subs = await Promise.all(batch.map((f) => c.subscribeAsync(f, qos)));
        for (let j = 0; j < subs.length; j++) {
          const h = handlerFor(batch[j]);
          subs[j].messageReceived.connect((m) => h(m.payload()));
        }
      }
    },
    /** Every message of the client: `fn(payload)`. */
    onMessage(fn) {
      c.messageReceived.connect((payload) => fn(payload));
    },
    end() {
      return c.disconnectFromHostAsync();
    },
  };
}
