// The scenarios of issue 7, each as rows of the results table. A job runs one repetition of its rows for one
// side: 'ours' (this package) or 'mqttjs' (MQTT.js 5; in the Node-RED rows: Node-RED's core MQTT nodes).
import { runConnect, runLatency, runMemory, runThroughput } from './lib/runners.mjs';
import { runRelays } from './lib/nodered.mjs';

/** Broker configurations: mosquitto defaults plus exactly these settings. */
export const BROKERS = {
  default: { settings: {}, about: 'stock mosquitto: max_inflight_messages 20, max_queued_messages 1000' },
  queue: {
    settings: { max_queued_messages: 1_000_000 },
    about: 'queues raised so no message is dropped for queue size (perf-anchor F9); in-flight 20 as default',
  },
  nodelay: {
    settings: { set_tcp_nodelay: 'true' },
    about: 'stock mosquitto but TCP_NODELAY on its own sockets (diagnostic row for the QoS 1 round trip)',
  },
  open: {
    settings: { max_queued_messages: 1_000_000, max_inflight_messages: 65535 },
    about: 'no publish window: queues raised and in-flight limit 65535 (Receive Maximum 65535 under MQTT 5)',
  },
};

const HI = 'higher';
const LO = 'lower';
const THROUGHPUT_METRICS = [
  { key: 'e2e_msgs_per_s', label: 'msgs/s', better: HI, target: { ratio: 1.3 } },
  {
    key: 'client_cpu_us_per_msg',
    label: 'client CPU µs/msg (pub + sub)',
    better: LO,
    target: { ratio: 0.7 },
  },
];

export function jobs(m) {
  const list = [];
  const tp = (id, title, broker, o, extra = {}) => {
    const row = {
      id,
      title,
      group: 'throughput',
      broker,
      config: {
        ours: o.maxInflight ? `setMaxInflight(${o.maxInflight})` : 'defaults (3.1.1: QoS 2 window 20)',
        mqttjs: 'defaults',
      },
      n: o.n,
      metrics: extra.metrics ?? THROUGHPUT_METRICS,
      detail: true,
      ...extra.row,
    };
    list.push({
      rows: [row],
      run: async (ctx, side) => ({
        [id]: await runThroughput(ctx.brokers[broker], {
          name: id,
          pubClient: side,
          subClient: side,
          size: 64,
          proto: 4,
          timeoutMs: m.runTimeoutMs,
          idleMs: m.idleMs,
          ...o,
          maxInflight: side === 'ours' ? o.maxInflight : undefined,
        }),
      }),
    });
  };
  const win = (w) => `publish window ${w}`;
  tp('qos0-window', `QoS 0, ${k(m.qos0)} × 64 B, ${win(1000)}`, 'queue', { qos: 0, n: m.qos0, window: 1000 });
  tp('qos0-nowindow', `QoS 0, ${k(m.qos0)} × 64 B, no window (fire and forget)`, 'open', {
    qos: 0,
    n: m.qos0,
    window: -1,
  });
  tp('qos1-window', `QoS 1, ${k(m.qos1)} × 64 B, ${win(20)}`, 'queue', { qos: 1, n: m.qos1, window: 20 });
  tp('qos1-nowindow', `QoS 1, ${k(m.qos1)} × 64 B, no window`, 'open', {
    qos: 1,
    n: m.qos1,
    window: 0,
    maxInflight: 65535,
  });
  tp('qos2-window', `QoS 2, ${k(m.qos2)} × 64 B, ${win(20)}`, 'queue', { qos: 2, n: m.qos2, window: 20 });
  tp('qos2-nowindow', `QoS 2, ${k(m.qos2)} × 64 B, no window`, 'open', {
    qos: 2,
    n: m.qos2,
    window: 0,
    maxInflight: 65535,
  });
  const f2metrics = [
    {
      key: 'delivered_pct',
      label: '% delivered',
      better: HI,
      target: { ours: 100, text: 'ours 100 % delivered' },
    },
    ...THROUGHPUT_METRICS,
  ];
  tp(
    'qos2-nowindow-default',
    `QoS 2, ${k(m.qos2)} × 64 B, no window, default mosquitto (F2)`,
    'default',
    { qos: 2, n: m.qos2, window: 0, idleMs: m.stallIdleMs },
    { metrics: f2metrics },
  );
  tp(
    'qos2-nowindow-default-v5',
    `QoS 2, ${k(m.qos2)} × 64 B, no window, default mosquitto, MQTT 5`,
    'default',
    { qos: 2, n: m.qos2, window: 0, idleMs: m.stallIdleMs, proto: 5 },
    { metrics: f2metrics.map((x) => ({ ...x, target: undefined })) },
  );
  const large = [
    { key: 'e2e_MB_per_s', label: 'MB/s', better: HI, target: { ratio: 1.3 } },
    {
      key: 'client_cpu_us_per_msg',
      label: 'client CPU µs/msg (pub + sub)',
      better: LO,
      target: { ratio: 0.7 },
    },
  ];
  tp(
    'large-window',
    `QoS 1, ${m.large} × 1 MiB, ${win(10)}`,
    'queue',
    {
      qos: 1,
      n: m.large,
      size: 1 << 20,
      window: 10,
    },
    { metrics: large },
  );
  tp(
    'large-nowindow',
    `QoS 1, ${m.large} × 1 MiB, no window`,
    'open',
    {
      qos: 1,
      n: m.large,
      size: 1 << 20,
      window: 0,
      maxInflight: 65535,
    },
    { metrics: large },
  );

  for (const qos of [0, 1]) {
    const id = `latency-qos${qos}`;
    const target = qos === 1 ? { ours: 1000, below: true, text: 'ours p50 < 1 ms' } : undefined;
    list.push({
      rows: [
        {
          id,
          title: `Round trip request → echo → response, QoS ${qos}, 64 B`,
          group: 'latency',
          broker: 'default',
          config: {
            ours: 'defaults (TCP_NODELAY on; TCP_QUICKACK for answers of the broker)',
            mqttjs: 'defaults',
          },
          metrics: [
            { key: 'p50_us', label: 'p50 µs', better: LO, target },
            { key: 'p99_us', label: 'p99 µs', better: LO },
          ],
        },
      ],
      run: async (ctx, side) => ({
        [id]: await runLatency(ctx.brokers.default, { client: side, qos, params: m.latency }),
      }),
    });
  }

  // Diagnostic: the same QoS 1 round trip with Nagle off on the broker's sockets too. With a default broker the
  // broker's PUBACK to the requester stays unacknowledged (delayed ACK) and Nagle holds the response behind it.
  list.push({
    rows: [
      {
        id: 'latency-qos1-broker-nodelay',
        title: 'Round trip, QoS 1, 64 B, broker with set_tcp_nodelay true (diagnostic)',
        group: 'latency',
        broker: 'nodelay',
        config: {
          ours: 'defaults (TCP_NODELAY on; TCP_QUICKACK for answers of the broker)',
          mqttjs: 'defaults',
        },
        metrics: [
          { key: 'p50_us', label: 'p50 µs', better: LO },
          { key: 'p99_us', label: 'p99 µs', better: LO },
        ],
      },
    ],
    run: async (ctx, side) => ({
      'latency-qos1-broker-nodelay': await runLatency(ctx.brokers.nodelay, {
        client: side,
        qos: 1,
        params: m.latency,
      }),
    }),
  });

  for (const proto of [4, 5]) {
    const id = proto === 4 ? 'connect-v311' : 'connect-v5';
    list.push({
      rows: [
        {
          id,
          title: `Connect → CONNACK, MQTT ${proto === 4 ? '3.1.1' : '5'}`,
          group: 'connect',
          broker: 'default',
          config: { ours: 'defaults', mqttjs: 'defaults, reconnectPeriod 0' },
          metrics: [
            { key: 'connack_p50_ms', label: 'CONNACK p50 ms', better: LO },
            { key: 'cycle_p50_ms', label: 'connect + disconnect p50 ms', better: LO },
          ],
        },
      ],
      run: async (ctx, side) => ({
        [id]: await runConnect(ctx.brokers.default, { client: side, proto, params: m.connect }),
      }),
    });
  }

  list.push({
    rows: [
      {
        id: 'memory',
        title: `One client, ${k(m.memory.count)} subscriptions, then ${k(m.memory.count * m.memory.rounds)} messages`,
        group: 'memory',
        broker: 'queue',
        config: {
          ours: 'one QMqttSubscription per filter, handler on its messageReceived',
          mqttjs: "1000 filters per SUBSCRIBE, handlers in an application Map on 'message'",
        },
        metrics: [
          { key: 'rss_subscribed_MB', label: 'RSS with subscriptions MB', better: LO, target: { ratio: 1 } },
          { key: 'rss_peak_MB', label: 'RSS peak MB', better: LO },
          { key: 'heap_subscribed_MB', label: 'heap with subscriptions MB', better: LO },
          { key: 'dispatch_msgs_per_s', label: 'dispatch msgs/s', better: HI },
        ],
      },
    ],
    run: async (ctx, side) => ({
      memory: await runMemory(ctx.brokers.queue, {
        client: side,
        loadClient: 'mqttjs',
        params: m.memory,
        timeoutMs: m.runTimeoutMs,
      }),
    }),
  });

  m.bursts.forEach((n, i) => {
    const id = `burst-${k(n)}`;
    list.push({
      rows: [
        {
          id,
          title: `QoS 0 burst of ${k(n)} publishes, each with a completion (callback / promise)`,
          group: 'burst',
          broker: 'queue',
          config: { ours: 'publishAsync', mqttjs: 'publish(…, cb)' },
          n,
          burstIndex: i,
          detail: true,
          metrics: [
            {
              key: 'pub_cpu_us_per_msg',
              label: 'publisher CPU µs/msg',
              better: LO,
              target: i === m.bursts.length - 1 ? { burst: 1.2 } : undefined,
            },
            { key: 'pub_msgs_per_s', label: 'publish msgs/s (to last completion)', better: HI },
          ],
        },
      ],
      run: async (ctx, side) => ({
        [id]: await runThroughput(ctx.brokers.queue, {
          name: id,
          pubClient: side,
          subClient: side,
          qos: 0,
          n,
          size: 64,
          window: 0,
          timeoutMs: m.burstTimeoutMs,
          idleMs: m.idleMs,
        }),
      }),
    });
  });

  const relayRows = [
    { id: 'nodered-relay-qos0', qos: 0, n: m.relay.qos0, window: 1000 },
    { id: 'nodered-relay-qos1', qos: 1, n: m.relay.qos1, window: 100, maxInflight: 100 },
  ];
  list.push({
    rows: relayRows.map((r) => ({
      id: r.id,
      title: `Node-RED flow in → out, QoS ${r.qos}, ${k(r.n)} × 64 B`,
      group: 'nodered',
      broker: 'queue',
      sides: { ours: 'qmqtt-in → qmqtt-out', mqttjs: 'core mqtt in → mqtt out' },
      config: {
        ours: 'qmqtt-broker / qmqtt-in / qmqtt-out, datatype buffer',
        mqttjs: 'core mqtt-broker / mqtt in / mqtt out (MQTT.js), datatype buffer',
      },
      n: r.n,
      detail: true,
      metrics: [
        { key: 'e2e_msgs_per_s', label: 'relayed msgs/s', better: HI, target: { ratio: 1.5 } },
        { key: 'relay_cpu_us_per_msg', label: 'Node-RED CPU µs/msg', better: LO },
      ],
    })),
    run: async (ctx, side) =>
      runRelays(ctx.brokers.queue, side, relayRows, {
        loadClient: 'ours',
        idleMs: m.idleMs,
        timeoutMs: m.runTimeoutMs,
      }),
  });
  return list;
}

function k(n) {
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}
