// How one repetition of each kind of measurement runs: which role processes start, what is timed, what CPU
// is counted. Every function returns { status, reason?, metrics } for one side (ours or MQTT.js).
import { randomBytes } from 'node:crypto';
import { procRssMB, round, toArgv } from './common.mjs';
import { spawnRole, TimeoutError } from './proc.mjs';

const READY_MS = 30_000;
const tag = () => randomBytes(3).toString('hex');

async function stopAll(...roles) {
  await Promise.all(roles.filter(Boolean).map((r) => r.stop()));
}

/**
 * One publisher process → broker → one subscriber process. CPU: process.cpuUsage() of each from 'start'
 * (publisher: until the subscriber finished and the publisher completed), broker from /proc over the run.
 */
export async function runThroughput(broker, o) {
  const topic = `bench/${o.name}/${tag()}`;
  const common = { host: '127.0.0.1', port: broker.port, proto: o.proto ?? 4, topic, qos: o.qos, n: o.n };
  let sub;
  let pub;
  try {
    // both start at once (start-up is not measured); 'start' goes to them once both are connected
    sub = spawnRole('subscriber', toArgv({ ...common, client: o.subClient, idle: o.idleMs }));
    pub = spawnRole(
      'publisher',
      toArgv({
        ...common,
        client: o.pubClient,
        size: o.size,
        window: o.window,
        maxInflight: o.maxInflight,
        stallMs: o.idleMs,
      }),
    );
    await Promise.all([sub.waitFor('ready', READY_MS), pub.waitFor('ready', READY_MS)]);
    return await measureFlow(broker, sub, pub, o, o.extraProcess);
  } finally {
    await stopAll(pub, sub);
  }
}

/** Starts a prepared subscriber and publisher and measures the flow between them. */
export async function measureFlow(broker, sub, pub, o, extra) {
  const b0 = broker.cpuMs();
  const drops0 = broker.dropNotices();
  const p0 = pub.procCpuMs();
  const x0 = extra ? extra.procCpuMs() : null;
  sub.send({ type: 'start' });
  pub.send({ type: 'start' });
  const deadline = Date.now() + o.timeoutMs;
  const pubP = pub.waitFor('published', o.timeoutMs).then(
    (m) => m,
    (e) => (e instanceof TimeoutError ? null : Promise.reject(e)),
  );
  let r;
  try {
    r = await sub.waitFor('result', o.timeoutMs);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    sub.send({ type: 'finish' });
    r = await sub.waitFor('result', 5000);
    r.reason = 'timeout';
  }
  let deadlineTimer;
  const published = await Promise.race([
    pubP,
    new Promise((res) => (deadlineTimer = setTimeout(() => res(null), Math.max(0, deadline - Date.now())))),
  ]);
  clearTimeout(deadlineTimer); // a pending deadline timer would keep `npm run bench` from exiting
  const b1 = broker.cpuMs();
  const drops = broker.dropNotices() - drops0;
  const x1 = extra ? extra.procCpuMs() : null;
  let pubCpu = null;
  let completed = published?.completed ?? null;
  try {
    pub.send({ type: 'report' });
    const rep = await pub.waitFor('cpu', 3000);
    pubCpu = rep.cpu_ms;
    completed = rep.completed;
  } catch {
    // a publisher too busy to answer (MQTT.js in a very large burst): its CPU time from /proc instead
    const p1 = pub.procCpuMs();
    pubCpu = p0 !== null && p1 !== null ? p1 - p0 : null;
  }
  const received = r.count;
  const span = r.last - r.first;
  const done = published !== null && !published.stalled;
  const m = {
    received,
    unique: r.uniq,
    lost: o.n - r.uniq,
    delivered_pct: round((r.uniq / o.n) * 100, 2),
    dups: r.dups,
    // mosquitto logs "Outgoing messages are being dropped for client …" once per episode of a full queue
    broker_drop_notices: drops,
    out_of_order: r.ooo,
    pub_errors: published ? published.errors : null,
    completions: o.window >= 0 ? completed : null,
    e2e_msgs_per_s: published && received > 0 ? round((r.uniq / (r.last - published.t0)) * 1000, 0) : null,
    e2e_MB_per_s:
      published && received > 0 ? round(r.bytes / 1e6 / ((r.last - published.t0) / 1000), 1) : null,
    sub_msgs_per_s: received > 1 ? round(((received - 1) / span) * 1000, 0) : null,
    pub_msgs_per_s: published ? round((o.n / (published.t1 - published.t0)) * 1000, 0) : null,
    pub_span_ms: published ? round(published.t1 - published.t0, 1) : null,
    pub_cpu_us_per_msg: pubCpu !== null ? round((pubCpu * 1000) / o.n, 2) : null,
    sub_cpu_us_per_msg: r.cpu_ms !== null ? round((r.cpu_ms * 1000) / Math.max(1, received), 2) : null,
    broker_cpu_us_per_msg:
      b0 !== null && b1 !== null ? round(((b1 - b0) * 1000) / Math.max(1, received), 2) : null,
  };
  m.client_cpu_us_per_msg =
    m.pub_cpu_us_per_msg !== null && m.sub_cpu_us_per_msg !== null
      ? round(m.pub_cpu_us_per_msg + m.sub_cpu_us_per_msg, 2)
      : null;
  if (extra) {
    m.relay_cpu_us_per_msg =
      x0 !== null && x1 !== null ? round(((x1 - x0) * 1000) / Math.max(1, received), 2) : null;
    m.relay_rss_MB = round(procRssMB(extra.pid), 1);
  }
  if (!done) {
    const got = `${completed ?? '?'} of ${o.n} completions`;
    return {
      status: 'dnf',
      reason: published?.stalled
        ? `publisher stalled: ${got}, then none for ${o.idleMs / 1000} s`
        : `publisher still busy after ${o.timeoutMs / 1000} s: ${got}`,
      metrics: m,
    };
  }
  const notes = [];
  if (r.reason !== 'complete') notes.push(`subscriber: ${r.reason}`);
  if (drops > 0) notes.push('the broker dropped messages for the subscriber (queue full, perf-anchor F9)');
  return { status: 'ok', reason: notes.join('; ') || undefined, metrics: m };
}

/** Request → echo → response round trips, sequential. */
export async function runLatency(broker, o) {
  const t = tag();
  const common = {
    client: o.client,
    host: '127.0.0.1',
    port: broker.port,
    proto: o.proto ?? 4,
    qos: o.qos,
    req: `bench/lat/${t}/req`,
    resp: `bench/lat/${t}/resp`,
  };
  let echo;
  let req;
  try {
    echo = spawnRole('echo', toArgv(common));
    await echo.waitFor('ready', READY_MS);
    req = spawnRole('requester', toArgv({ ...common, ...o.params }));
    await req.waitFor('ready', READY_MS);
    req.send({ type: 'start' });
    const r = await req.waitFor('result', o.params.capMs + o.params.warmupMs + 30_000);
    delete r.type;
    return { status: 'ok', metrics: r };
  } finally {
    await stopAll(req, echo);
  }
}

export async function runConnect(broker, o) {
  const c = spawnRole(
    'connect',
    toArgv({ client: o.client, port: broker.port, proto: o.proto, ...o.params }),
  );
  try {
    const r = await c.waitFor('result', 120_000);
    delete r.type;
    return { status: 'ok', metrics: r };
  } finally {
    await c.stop();
  }
}

export async function runMemory(broker, o) {
  const prefix = `bench/mem/${tag()}/t`;
  const common = { host: '127.0.0.1', port: broker.port, prefix, ...o.params };
  let mem;
  let pub;
  try {
    mem = spawnRole('memory', toArgv({ ...common, client: o.client }), { execArgv: ['--expose-gc'] });
    await mem.waitFor('subscribed', 120_000);
    pub = spawnRole('topics-publisher', toArgv({ ...common, client: o.loadClient }));
    await pub.waitFor('ready', READY_MS);
    mem.send({ type: 'start' });
    pub.send({ type: 'start' });
    let r;
    try {
      r = await mem.waitFor('result', o.timeoutMs);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      mem.send({ type: 'finish' });
      r = await mem.waitFor('result', 10_000);
    }
    delete r.type;
    const ok = r.dispatched === r.expected;
    return {
      status: 'ok',
      reason: ok ? undefined : `${r.expected - r.dispatched} messages not dispatched`,
      metrics: r,
    };
  } finally {
    await stopAll(pub, mem);
  }
}
