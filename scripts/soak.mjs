#!/usr/bin/env node
/**
 * Soak test (issue 8): a publisher (MQTT 5) and a subscriber (MQTT 3.1.1), both QMqttClient from the built
 * dist/lib/index.mjs with automatic reconnect and persistent sessions, against a mosquitto this script starts
 * (persistence on), for SOAK_SECONDS (default 60) of steady QoS 0/1/2 traffic with forced faults:
 *  - the clients' TCP connections cut (they go through a small proxy that this script owns),
 *  - mosquitto restarted (SIGTERM: it saves its persistence file; same port).
 * Then it stops publishing, lets everything drain and reports as JSON on stdout:
 *  - messages lost at QoS 1 and 2 (must be 0), duplicates at QoS 2 (must be 0), QoS 1 duplicates and QoS 0
 *    losses or failed writes (allowed, reported), QoS 1/2 publishes refused or never acknowledged (must be 0);
 *  - memory: heapUsed / RSS samples after GC, and the heap growth between the first and last quarter (must stay
 *    within a bound).
 * Exit status 0 when every rule held, 1 on a violation, 2 when the run itself could not be set up.
 *
 *   npm run soak                     # builds, then runs for 60 s
 *   SOAK_SECONDS=600 npm run soak    # ten minutes
 *   MOSQUITTO_BIN=/path/to/mosquitto node --expose-gc scripts/soak.mjs
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
/** One message every RATE_MS, cycling QoS 0, 1, 2. */
const RATE_MS = Number(process.env.SOAK_RATE_MS ?? 10);
const log = (...a) => {
  if (process.env.SOAK_VERBOSE) console.error(`[soak ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
};
const t0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fail(message, code = 2) {
  console.error(`soak: ${message}`);
  process.exit(code);
}

const distEntry = path.join(root, 'dist/lib/index.mjs');
if (!fs.existsSync(distEntry))
  fail('dist/lib/index.mjs is missing: run `npm run build` first (npm run soak does).');
const { QMqttClient, ClientState, ProtocolVersion, QMqttConnectionProperties } = await import(distEntry);

// ---- mosquitto ----------------------------------------------------------------------------------------------

function findMosquitto() {
  const candidates = [process.env.MOSQUITTO_BIN, '/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter))
    if (dir) candidates.push(path.join(dir, 'mosquitto'));
  for (const c of candidates) {
    if (!c) continue;
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return fail('mosquitto not found (apt-get install mosquitto, or set MOSQUITTO_BIN)');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qmqtt-soak-'));
process.once('exit', () => fs.rmSync(workDir, { recursive: true, force: true }));

class Mosquitto {
  constructor(bin, port) {
    this.bin = bin;
    this.port = port;
    this.child = undefined;
    this.log = '';
    this.restarts = 0;
    const lines = [
      'allow_anonymous true',
      'log_dest stderr',
      'persistence true',
      `persistence_location ${workDir}/`,
      // a subscriber that is offline while the broker restarts must not lose queued messages to a limit
      'max_queued_messages 0',
      'max_queued_bytes 0',
      `listener ${port} 127.0.0.1`,
    ];
    if (typeof process.getuid === 'function' && process.getuid() === 0) lines.unshift('user root');
    this.config = path.join(workDir, 'mosquitto.conf');
    fs.writeFileSync(this.config, lines.join('\n') + '\n');
  }

  async start() {
    const c = spawn(this.bin, ['-c', this.config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = c;
    this.exited = new Promise((r) => c.once('close', r));
    c.stderr.setEncoding('utf8').on('data', (d) => {
      this.log = (this.log + d).slice(-20_000);
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (c.exitCode !== null) fail(`mosquitto exited at start:\n${this.log}`);
      if (await canConnect(this.port)) return;
      await sleep(25);
    }
    fail(`mosquitto did not listen on ${this.port} within 10 s:\n${this.log}`);
  }

  async stop() {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    c.kill('SIGTERM'); // SIGTERM: mosquitto writes its persistence file before exiting
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  async restart() {
    await this.stop();
    this.restarts++;
    await this.start();
  }
}

// ---- a proxy in front of mosquitto, so that the clients' connections can be cut --------------------------------

class Proxy {
  constructor(upstreamPort) {
    this.upstreamPort = upstreamPort;
    this.pairs = new Set();
    this.cuts = 0;
    this.server = net.createServer((down) => {
      const up = net.connect(this.upstreamPort, '127.0.0.1');
      const pair = { down, up };
      this.pairs.add(pair);
      const close = () => {
        this.pairs.delete(pair);
        down.destroy();
        up.destroy();
      };
      down.on('error', close).on('close', close);
      up.on('error', close).on('close', close);
      down.pipe(up);
      up.pipe(down);
    });
  }

  listen() {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => resolve(this.server.address().port)),
    );
  }

  /** Cuts every open connection, as a network failure would (RST, no DISCONNECT). */
  cutAll() {
    for (const { down, up } of this.pairs) {
      if (typeof down.resetAndDestroy === 'function') down.resetAndDestroy();
      else down.destroy();
      up.destroy();
    }
    this.pairs.clear();
    this.cuts++;
  }

  close() {
    this.cutAll();
    return new Promise((r) => this.server.close(() => r()));
  }
}

// ---- the run ------------------------------------------------------------------------------------------------

const escaped = [];
process.on('uncaughtException', (e) => escaped.push(String(e?.stack ?? e)));
process.on('unhandledRejection', (e) => escaped.push(String(e?.stack ?? e)));

const broker = new Mosquitto(findMosquitto(), await freePort());
await broker.start();
const proxy = new Proxy(broker.port);
const proxyPort = await proxy.listen();

function makeClient(id, version) {
  const c = new QMqttClient({ connectTimeout: 5000, maxInflight: 50 });
  c.setHostname('127.0.0.1');
  c.setPort(proxyPort);
  c.setClientId(id);
  c.setProtocolVersion(version);
  c.setCleanSession(false);
  c.setKeepAlive(5);
  c.setAutoReconnect(true);
  c.setReconnectDelay(50);
  c.setMaxReconnectDelay(500);
  c.setOfflineQueueLimits(1_000_000, 512 * 1024 * 1024);
  if (version === ProtocolVersion.MQTT_5_0) {
    const p = new QMqttConnectionProperties();
    p.setSessionExpiryInterval(3600); // keep the session across connections and broker restarts
    c.setConnectionProperties(p);
  }
  let reconnects = 0;
  c.connected.connect(() => reconnects++);
  c.stats = () => ({ connects: reconnects });
  return c;
}

const run = `soak-${process.pid}-${Date.now().toString(36)}`;
const sub = makeClient(`${run}-sub`, ProtocolVersion.MQTT_3_1_1);
const pub = makeClient(`${run}-pub`, ProtocolVersion.MQTT_5_0);

/**
 * Per-message bookkeeping in preallocated byte arrays indexed by sequence number (not Maps that grow with every
 * message), so that the heap samples measure the clients, not this script. seq % 3 is the QoS.
 */
let capacity = Math.ceil((SECONDS * 1000) / RATE_MS) * 2 + 10_000;
let receivedTimes = new Uint8Array(capacity); // deliveries per seq (saturating at 255)
let ackedFlag = new Uint8Array(capacity); // 1 once the broker acknowledged (QoS 0: written)
function ensure(n) {
  if (n < capacity) return;
  capacity = n * 2;
  const r = new Uint8Array(capacity);
  r.set(receivedTimes);
  receivedTimes = r;
  const a = new Uint8Array(capacity);
  a.set(ackedFlag);
  ackedFlag = a;
}
sub.messageReceived.connect((payload) => {
  const seq = Number(payload.toString().split(':')[1]);
  if (!Number.isInteger(seq) || seq < 0) return;
  ensure(seq);
  if (receivedTimes[seq] < 255) receivedTimes[seq]++;
});

try {
  await sub.connectToHostAsync();
  await sub.subscribeAsync(`${run}/#`, 2);
  await pub.connectToHostAsync();
} catch (e) {
  await broker.stop();
  fail(`could not connect: ${e instanceof Error ? e.message : String(e)}`);
}

const sent = [0, 0, 0]; // publish calls per QoS
const refused = [];
const pendingPublishes = new Set();
let seq = 0;

function publishOne() {
  const s = seq++;
  const qos = s % 3;
  ensure(s);
  sent[qos]++;
  const p = pub.publishAsync(`${run}/q${qos}`, `${qos}:${s}`, qos);
  pendingPublishes.add(p);
  p.then(
    () => (ackedFlag[s] = 1),
    (e) => refused.push({ seq: s, qos, error: e instanceof Error ? e.message : String(e) }),
  ).finally(() => pendingPublishes.delete(p));
}

// memory samples after GC (node --expose-gc), every 250 ms
const samples = [];
function sample() {
  globalThis.gc?.();
  const m = process.memoryUsage();
  samples.push({ t: Math.round((Date.now() - t0) / 100) / 10, rss: m.rss, heapUsed: m.heapUsed });
}
const sampler = setInterval(sample, 250);
sample();

const ticker = setInterval(publishOne, RATE_MS);

// faults: alternately cut the connections and restart the broker, every SECONDS/5, between 1.5 and 5 s apart
const faultEvery = Math.min(5000, Math.max(1500, (SECONDS * 1000) / 5));
const faults = [];
let faultNo = 0;
const faulter = setInterval(() => {
  const kind = faultNo++ % 2 === 0 ? 'cut connections' : 'restart broker';
  faults.push({ t: Math.round((Date.now() - t0) / 100) / 10, kind });
  log(kind);
  if (kind === 'cut connections') proxy.cutAll();
  else
    broker.restart().catch((e) => {
      escaped.push(`broker restart failed: ${e}`);
    });
}, faultEvery);

await sleep(SECONDS * 1000);
clearInterval(ticker);
clearInterval(faulter);
log(`published ${seq}; draining`);

// drain: every publish settled, nothing in flight or queued, both clients connected
const drainDeadline = Date.now() + 30_000;
while (Date.now() < drainDeadline) {
  if (
    pendingPublishes.size === 0 &&
    pub.inflightMessageCount() === 0 &&
    pub.queuedMessageCount() === 0 &&
    sub.state() === ClientState.Connected
  )
    break;
  await sleep(50);
}
/** Sequence numbers of QoS `q` for which `pred(seq)` holds. */
const seqs = (q, pred) => {
  const out = [];
  for (let s = q; s < seq; s += 3) if (pred(s)) out.push(s);
  return out;
};
// delivery: wait until every acknowledged QoS 1/2 message arrived, or 10 s without progress
let lastMissing = -1;
let quietSince = Date.now();
while (Date.now() - quietSince < 10_000) {
  const missing = [1, 2].reduce(
    (n, q) => n + seqs(q, (s) => ackedFlag[s] === 1 && receivedTimes[s] === 0).length,
    0,
  );
  if (missing === 0) break;
  if (missing !== lastMissing) {
    lastMissing = missing;
    quietSince = Date.now();
  }
  await sleep(50);
}
clearInterval(sampler);
sample();

const lost = (q) => seqs(q, (s) => ackedFlag[s] === 1 && receivedTimes[s] === 0);
const dups = (q) => seqs(q, (s) => receivedTimes[s] > 1).length;
const count = (q, pred) => seqs(q, pred).length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)];
};
const quarter = Math.max(1, Math.floor(samples.length / 4));
const early = median(samples.slice(quarter, 2 * quarter).map((s) => s.heapUsed));
const late = median(samples.slice(-quarter).map((s) => s.heapUsed));
// growth allowed: 30 % plus 4 MB over the early steady state (a short run still has JIT and buffer warm-up in it)
const heapLimit = early * 1.3 + 4 * 1024 * 1024;

const report = {
  seconds: SECONDS,
  rateMs: RATE_MS,
  published: { qos0: sent[0], qos1: sent[1], qos2: sent[2] },
  acknowledged: {
    qos0: count(0, (s) => ackedFlag[s] === 1),
    qos1: count(1, (s) => ackedFlag[s] === 1),
    qos2: count(2, (s) => ackedFlag[s] === 1),
  },
  received: {
    qos0: count(0, (s) => receivedTimes[s] > 0),
    qos1: count(1, (s) => receivedTimes[s] > 0),
    qos2: count(2, (s) => receivedTimes[s] > 0),
  },
  lost: { qos0: lost(0).length, qos1: lost(1).length, qos2: lost(2).length },
  duplicates: { qos0: dups(0), qos1: dups(1), qos2: dups(2) },
  /** publishAsync rejections; at QoS 0 a write that failed with the connection is allowed (at most once) */
  refused: {
    qos0: refused.filter((r) => r.qos === 0).length,
    qos1: refused.filter((r) => r.qos === 1).length,
    qos2: refused.filter((r) => r.qos === 2).length,
  },
  unsettled: pendingPublishes.size,
  faults: { connectionCuts: proxy.cuts, brokerRestarts: broker.restarts, schedule: faults },
  connects: { publisher: pub.stats().connects, subscriber: sub.stats().connects },
  memory: {
    gcExposed: typeof globalThis.gc === 'function',
    heapUsedEarlyMedian: early,
    heapUsedLateMedian: late,
    heapLimit: Math.round(heapLimit),
    rssFirst: samples[0]?.rss,
    rssLast: samples.at(-1)?.rss,
    samples: samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 40)) === 0),
  },
  escaped,
  violations: [],
};
const v = report.violations;
if (report.lost.qos1 > 0)
  v.push(`${report.lost.qos1} QoS 1 message(s) lost: ${lost(1).slice(0, 10).join(', ')}`);
if (report.lost.qos2 > 0)
  v.push(`${report.lost.qos2} QoS 2 message(s) lost: ${lost(2).slice(0, 10).join(', ')}`);
if (report.duplicates.qos2 > 0) v.push(`${report.duplicates.qos2} QoS 2 message(s) delivered more than once`);
const refusedQos12 = refused.filter((r) => r.qos > 0);
if (refusedQos12.length > 0)
  v.push(`${refusedQos12.length} QoS 1/2 publish(es) refused: ${JSON.stringify(refusedQos12.slice(0, 3))}`);
if (pendingPublishes.size > 0) v.push(`${pendingPublishes.size} publish(es) never acknowledged`);
if (late > heapLimit) v.push(`heap grew from ${early} to ${late} bytes (limit ${Math.round(heapLimit)})`);
if (escaped.length > 0) v.push(`${escaped.length} exception(s) escaped to the process`);
if (proxy.cuts === 0 && broker.restarts === 0) v.push('no fault was injected (SOAK_SECONDS too short)');

pub.disconnectFromHost();
sub.disconnectFromHost();
await proxy.close();
await broker.stop();
console.log(JSON.stringify(report, null, 2));
if (v.length > 0) console.error(`soak: FAILED\n - ${v.join('\n - ')}`);
process.exit(v.length > 0 ? 1 : 0);
