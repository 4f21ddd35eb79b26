// The Node-RED relay scenario: a Node-RED 4.1 runtime in its own process runs `in → out` relays, once with
// this package's nodes (qmqtt-broker / qmqtt-in / qmqtt-out) and once with Node-RED's core MQTT nodes
// (mqtt-broker / mqtt in / mqtt out, MQTT.js inside). A publisher and a counter (the same client for both
// sides) load the flow; the relay's messages per second and the Node-RED process's CPU per message count.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { toArgv } from './common.mjs';
import { spawnRole } from './proc.mjs';
import { measureFlow } from './runners.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NEEDED = ['qmqtt-broker', 'qmqtt-in', 'qmqtt-out'];

/** Whether package.json registers our three nodes and their built files exist; else why not. */
export function ourNodesAvailability() {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const nodes = pkg['node-red']?.nodes ?? {};
  const missing = NEEDED.filter((t) => !nodes[t]);
  if (missing.length)
    return {
      available: false,
      reason: `package.json "node-red".nodes does not register ${missing.join(', ')} yet`,
    };
  const absent = NEEDED.filter((t) => !existsSync(path.join(ROOT, nodes[t])));
  if (absent.length)
    return {
      available: false,
      reason: `built node files missing: ${absent.map((t) => nodes[t]).join(', ')}`,
    };
  return { available: true };
}

function flow(side, port, relays) {
  const b = 'bench-broker';
  const nodes = [{ id: 'bench-tab', type: 'tab', label: 'bench relay' }];
  if (side === 'ours') {
    nodes.push({
      id: b,
      type: 'qmqtt-broker',
      name: 'bench',
      broker: '127.0.0.1',
      port: String(port),
      clientid: '',
      protocolVersion: 4,
      keepalive: 60,
      cleansession: true,
      autoConnect: true,
    });
  } else {
    nodes.push({
      id: b,
      type: 'mqtt-broker',
      name: 'bench',
      broker: '127.0.0.1',
      port: String(port),
      clientid: '',
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
      autoUnsubscribe: true,
      birthTopic: '',
      closeTopic: '',
      willTopic: '',
    });
  }
  relays.forEach((r, i) => {
    const inType = side === 'ours' ? 'qmqtt-in' : 'mqtt in';
    const outType = side === 'ours' ? 'qmqtt-out' : 'mqtt out';
    nodes.push({
      id: `in${i}`,
      type: inType,
      z: 'bench-tab',
      topic: r.in,
      qos: String(r.qos),
      datatype: 'buffer',
      broker: b,
      nl: false,
      rap: true,
      rh: 0,
      inputs: 0,
      wires: [[`out${i}`]],
    });
    nodes.push({
      id: `out${i}`,
      type: outType,
      z: 'bench-tab',
      topic: r.out,
      qos: String(r.qos),
      retain: 'false',
      broker: b,
      wires: side === 'ours' ? [[], []] : [],
    });
  });
  return nodes;
}

/**
 * Runs every relay row for one side and repetition in one Node-RED process. Returns { rowId: result }.
 * `rows`: [{ id, qos, n, window, maxInflight }]
 */
export async function runRelays(broker, side, rows, o) {
  if (side === 'ours') {
    const av = ourNodesAvailability();
    if (!av.available)
      return Object.fromEntries(rows.map((r) => [r.id, { status: 'n/a', reason: av.reason, metrics: {} }]));
  }
  const t = randomBytes(3).toString('hex');
  const relays = rows.map((r) => ({
    ...r,
    in: `bench/nr/${t}/${r.id}/in`,
    out: `bench/nr/${t}/${r.id}/out`,
  }));
  const userDir = mkdtempSync(path.join(os.tmpdir(), 'qmqtt-bench-nodered-'));
  writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow(side, broker.port, relays), null, 1));
  const nr = spawnRole(
    'nodered',
    toArgv({
      userDir,
      nodesDir: side === 'ours' ? ROOT : undefined,
      port: broker.port,
      relays: relays.map((r) => `${r.in}:${r.out}`).join(','),
    }),
  );
  const out = {};
  try {
    await nr.waitFor('ready', 60_000);
    for (const r of relays) {
      let sub;
      let pub;
      try {
        const common = { host: '127.0.0.1', port: broker.port, qos: r.qos, n: r.n, client: o.loadClient };
        sub = spawnRole('subscriber', toArgv({ ...common, topic: r.out, idle: o.idleMs }));
        pub = spawnRole(
          'publisher',
          toArgv({
            ...common,
            topic: r.in,
            size: 64,
            window: r.window,
            maxInflight: r.maxInflight,
            stallMs: o.idleMs,
          }),
        );
        await Promise.all([sub.waitFor('ready', 30_000), pub.waitFor('ready', 30_000)]);
        out[r.id] = await measureFlow(
          broker,
          sub,
          pub,
          { n: r.n, window: r.window, idleMs: o.idleMs, timeoutMs: o.timeoutMs },
          nr,
        );
      } catch (e) {
        out[r.id] = { status: 'failed', reason: e.message.split('\n')[0], metrics: {} };
      } finally {
        await Promise.all([pub?.stop(), sub?.stop()]);
      }
    }
  } finally {
    await nr.stop(10_000);
    rmSync(userDir, { recursive: true, force: true });
  }
  return out;
}
