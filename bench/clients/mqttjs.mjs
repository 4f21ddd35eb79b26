// Adapter: MQTT.js 5 behind the small interface every benchmark role uses, with its natural API
// (publish with and without a callback, one 'message' event, subscribe with an array of filters).
import mqtt from 'mqtt';

export const name = 'mqttjs';

export function connect({ host, port, proto = 4, clientId }) {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(`mqtt://${host}:${port}`, {
      protocolVersion: proto,
      clientId,
      reconnectPeriod: 0,
      keepalive: 60,
      clean: true,
    });
    const onErr = (e) => reject(e);
    c.once('error', onErr);
    c.once('connect', () => {
      c.off('error', onErr);
      resolve(wrap(c));
    });
  });
}

function wrap(c) {
  const opts = [{ qos: 0 }, { qos: 1 }, { qos: 2 }];
  return {
    raw: c,
    publish(topic, payload, qos) {
      c.publish(topic, payload, opts[qos]);
    },
    publishCb(topic, payload, qos, done) {
      c.publish(topic, payload, opts[qos], (err) => done(err ?? null));
    },
    subscribe(filter, qos) {
      return new Promise((resolve, reject) =>
        c.subscribe(filter, { qos }, (err) => (err ? reject(err) : resolve())),
      );
    },
    /** MQTT.js has one 'message' event: per-filter dispatch is the application's Map (exact filters here). */
    async subscribeWithHandlers(filters, qos, handlerFor) {
      const handlers = new Map();
      for (const f of filters) handlers.set(f, handlerFor(f));
      for (let i = 0; i < filters.length; i += 1000) {
        const batch = filters.slice(i, i + 1000);
        await new Promise((resolve, reject) =>
          c.subscribe(batch, { qos }, (err) => (err ? reject(err) : resolve())),
        );
      }
      c.on('message', (topic, payload) => {
        const h = handlers.get(topic);
        if (h) h(payload);
      });
    },
    onMessage(fn) {
      c.on('message', (_topic, payload) => fn(payload));
    },
    end() {
      return new Promise((resolve) => c.end(false, {}, () => resolve()));
    },
  };
}
