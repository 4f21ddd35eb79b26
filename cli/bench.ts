/**
 * `qmqtt bench`: a quick throughput and latency check against a broker. One connection subscribes, another
 * publishes -C messages of -s bytes at QoS -q as fast as the acknowledgements allow; every payload carries its
 * sequence number and send time, so the subscriber measures end-to-end latency and counts losses and
 * duplicates. A progress line goes to stderr; the summary to stdout (text, or one JSON object with --json).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { validateTopicName, type QMqttClient } from '../lib';
import { checkCommon, connect, createClient, resolveTarget } from './connect';
import { CliError, ExitCode, UsageError, oneLine, type ExitCodeValue } from './errors';
import type { Options } from './options';

/** Bytes at the start of each payload: uint32 sequence number + float64 send time (ms, performance.now()). */
const HEADER = 12;
/** Publishes waiting for their acknowledgement at most (QoS 0: waiting to be written). */
const WINDOW: Record<0 | 1 | 2, number> = { 0: 1000, 1: 200, 2: 200 };
/** After the last publish, how long to wait for stragglers without any arriving. */
const QUIET_MS = 2000;

export interface BenchResult {
  broker: string;
  protocol: number;
  qos: number;
  size: number;
  sent: number;
  received: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  seconds: number;
  publishPerSecond: number;
  receivePerSecond: number;
  megabytesPerSecond: number;
  latencyMs: { min: number; mean: number; p50: number; p90: number; p99: number; max: number };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

function checkBench(o: Options): string {
  checkCommon(o);
  if (o.topics.length > 1) throw new UsageError('qmqtt bench uses one topic: give -t once');
  const topic = o.topics[0] ?? `qmqtt/bench/${randomBytes(6).toString('hex')}`;
  const problem = validateTopicName(topic);
  if (problem) throw new UsageError(`-t: ${problem} (bench publishes to it and subscribes to it)`);
  return topic;
}

export async function runBench(o: Options): Promise<ExitCodeValue> {
  const target = resolveTarget(o);
  const topic = checkBench(o);
  const count = o.count ?? 10_000;
  const size = Math.max(o.size, HEADER);
  const qos = o.qos;
  const deadline = performance.now() + (o.timeout ?? 60) * 1000;

  const subscriber = createClient(o, target, o.clientId !== undefined ? '-sub' : '');
  const publisher = createClient(o, target, o.clientId !== undefined ? '-pub' : '');
  const clients: QMqttClient[] = [subscriber, publisher];
  const seen = new Uint8Array(count);
  const latencies = new Float64Array(count);
  let received = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let lastSeq = -1;
  let lastArrival = 0;
  let sent = 0;
  let acked = 0;
  let failure: CliError | undefined;

  const isTty = process.stderr.isTTY === true;
  let lastProgress = 0;
  const progress = (final = false): void => {
    const now = performance.now();
    if (!final && now - lastProgress < (isTty ? 200 : 1000)) return;
    lastProgress = now;
    const elapsed = (now - t0) / 1000;
    const rate = elapsed > 0 ? Math.round(received / elapsed) : 0;
    const line = `bench: sent ${sent}/${count}  acked ${acked}  received ${received}  ${rate} msg/s  ${elapsed.toFixed(1)} s`;
    if (o.quiet) return;
    process.stderr.write(isTty ? `\r${line}\x1b[K${final ? '\n' : ''}` : `${line}\n`);
  };

  let t0 = performance.now();
  try {
    for (const c of clients) await connect(o, c, target);
    for (const c of clients)
      c.disconnected.connect(() => {
        failure ??= new CliError(
          `connection lost: ${oneLine(c.lastErrorDetail() ?? 'closed')}`,
          ExitCode.Failed,
        );
      });
    const sub = await subscriber.subscribeAsync(topic, qos).catch((err: unknown) => {
      throw new CliError(`subscription to "${topic}" refused: ${oneLine(err)}`, ExitCode.Failed);
    });
    sub.messageReceived.connect((m) => {
      const p = m.payload();
      if (p.length < HEADER) return;
      const seq = p.readUInt32BE(0);
      if (seq >= count) return;
      const now = performance.now();
      if (seen[seq]) {
        duplicates++;
        return;
      }
      seen[seq] = 1;
      latencies[received++] = now - p.readDoubleBE(4);
      if (seq < lastSeq) outOfOrder++;
      lastSeq = seq;
      lastArrival = now;
    });

    const ticker = setInterval(() => progress(), 100);
    t0 = performance.now();
    const pending = new Set<Promise<void>>();
    const fill = randomBytes(size - HEADER);
    try {
      while (sent < count && !failure) {
        if (performance.now() > deadline) break;
        const payload = Buffer.allocUnsafe(size);
        payload.writeUInt32BE(sent, 0);
        payload.writeDoubleBE(performance.now(), 4);
        fill.copy(payload, HEADER);
        const p: Promise<void> = publisher.publishAsync(topic, payload, qos).then(
          () => {
            acked++;
            pending.delete(p);
          },
          (err: unknown) => {
            failure ??= new CliError(`publish failed: ${oneLine(err)}`, ExitCode.Failed);
            pending.delete(p);
          },
        );
        pending.add(p);
        sent++;
        if (pending.size >= WINDOW[qos]) await Promise.race(pending);
      }
      await Promise.all(pending);
      const publishedAt = performance.now();
      // wait for the stragglers: until all arrived, nothing arrived for a while, or the deadline
      while (received < sent && !failure) {
        const now = performance.now();
        if (now > deadline || now - Math.max(lastArrival, publishedAt) > QUIET_MS) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const end = received > 0 ? lastArrival : performance.now();
      progress(true);
      if (failure) throw failure;
      const sorted = latencies.slice(0, received).sort();
      const total = sorted.reduce((a, b) => a + b, 0);
      const seconds = (end - t0) / 1000;
      const result: BenchResult = {
        broker: target.label,
        protocol: o.protocol,
        qos,
        size,
        sent,
        received,
        lost: sent - received,
        duplicates,
        outOfOrder,
        seconds: round(seconds),
        publishPerSecond: Math.round(acked / ((publishedAt - t0) / 1000 || 1e-9)),
        receivePerSecond: Math.round(received / (seconds || 1e-9)),
        megabytesPerSecond: round((received * size) / (seconds || 1e-9) / 1e6),
        latencyMs: {
          min: round(percentile(sorted, 0)),
          mean: round(received ? total / received : 0),
          p50: round(percentile(sorted, 50)),
          p90: round(percentile(sorted, 90)),
          p99: round(percentile(sorted, 99)),
          max: round(percentile(sorted, 100)),
        },
      };
      report(o, result);
      if (received === 0)
        throw new CliError('no message came back: check the topic and the ACL', ExitCode.Failed);
      // QoS 1 and 2 promise delivery: a loss there is a failure; at QoS 0 it is a measurement
      if (qos > 0 && result.lost > 0)
        throw new CliError(`${result.lost} of ${sent} QoS ${qos} messages did not arrive`, ExitCode.Failed);
      if (sent < count)
        throw new CliError(
          `Timed out after ${o.timeout ?? 60} s (${sent} of ${count} sent)`,
          ExitCode.Timeout,
        );
      return ExitCode.Ok;
    } finally {
      clearInterval(ticker);
    }
  } finally {
    await Promise.all(clients.map((c) => c.disconnectFromHostAsync().catch(() => undefined)));
  }
}

function report(o: Options, r: BenchResult): void {
  if (o.json) {
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const l = r.latencyMs;
  process.stdout.write(
    [
      `broker     ${r.broker}  MQTT ${r.protocol === 5 ? '5' : r.protocol === 4 ? '3.1.1' : '3.1'}  QoS ${r.qos}  ${r.size} bytes`,
      `messages   sent ${r.sent}  received ${r.received}  lost ${r.lost}  duplicates ${r.duplicates}  out of order ${r.outOfOrder}`,
      `throughput ${r.receivePerSecond} msg/s received (${r.megabytesPerSecond} MB/s), ${r.publishPerSecond} msg/s published, ${r.seconds} s`,
      `latency ms min ${l.min}  mean ${l.mean}  p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  max ${l.max}`,
      '',
    ].join('\n'),
  );
}
