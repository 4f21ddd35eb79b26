/**
 * `qmqtt pub`: publishes one message (-m, -f, -s, -n, optionally repeated) or one message per line of stdin (-l),
 * waits for the broker's acknowledgement of each (QoS 1: PUBACK, QoS 2: PUBCOMP) and disconnects.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { validateTopicName, type QMqttClient, type QMqttPublishProperties, type PublishResult } from '../lib';
import { checkCommon, connect, createClient, debugLog, resolveTarget } from './connect';
import { CliError, ExitCode, UsageError, oneLine, type ExitCodeValue } from './errors';
import type { Options } from './options';

/** Most publishes of `-l` waiting for their acknowledgement before reading more of stdin. */
const LINE_WINDOW = 256;

function readStdin(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.once('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.once('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function checkPub(o: Options): string {
  checkCommon(o);
  if (o.topics.length === 0) throw new UsageError('a topic is needed: -t topic (or -L mqtt://host/topic)');
  if (o.topics.length > 1) throw new UsageError('qmqtt pub publishes to one topic: give -t once');
  const topic = o.topics[0]!;
  const problem = validateTopicName(topic);
  if (problem) throw new UsageError(`-t: ${problem}`);
  if (!o.source) throw new UsageError('a message is needed: one of -m message, -f file, -l, -s or -n');
  if (o.source.kind === 'lines' && o.given.has('--repeat'))
    throw new UsageError('--repeat does not apply to -l (each line is one message)');
  return topic;
}

export async function runPub(o: Options): Promise<ExitCodeValue> {
  const target = resolveTarget(o);
  const topic = checkPub(o);
  const source = o.source!;
  // read the message before connecting: a missing file is a usage error and nothing is sent
  let payload: Buffer | undefined;
  if (source.kind === 'message') payload = source.data;
  else if (source.kind === 'null') payload = Buffer.alloc(0);
  else if (source.kind === 'file') {
    try {
      payload = readFileSync(source.path);
    } catch (err) {
      throw new UsageError(
        `-f: cannot read ${source.path}: ${(err as NodeJS.ErrnoException).code ?? oneLine(err)}`,
      );
    }
  } else if (source.kind === 'stdin') payload = await readStdin();

  const client = createClient(o, target);
  await connect(o, client, target);
  const props = o.propertyCommands.has('publish') ? o.publishProps : undefined;
  try {
    if (payload !== undefined) {
      for (let i = 0; i < o.repeat; i++) {
        if (i > 0 && o.repeatDelay > 0) await sleep(o.repeatDelay * 1000);
        await publishOne(o, client, topic, props, payload);
      }
    } else {
      await publishLines(o, client, topic, props);
    }
  } finally {
    await client.disconnectFromHostAsync();
  }
  return ExitCode.Ok;
}

async function publishOne(
  o: Options,
  client: QMqttClient,
  topic: string,
  props: QMqttPublishProperties | undefined,
  payload: Buffer,
): Promise<PublishResult> {
  try {
    const r = props
      ? await client.publishAsync(topic, props, payload, o.qos, o.retain)
      : await client.publishAsync(topic, payload, o.qos, o.retain);
    debugLog(
      o,
      `published ${payload.length} bytes to "${topic}" (QoS ${o.qos}${r.id ? `, id ${r.id}` : ''})`,
    );
    return r;
  } catch (err) {
    throw new CliError(`publish to "${topic}" failed: ${oneLine(err)}`, ExitCode.Failed);
  }
}

/** `-l`: one message per line of stdin (line ending removed; an empty line is an empty message). */
async function publishLines(
  o: Options,
  client: QMqttClient,
  topic: string,
  props: QMqttPublishProperties | undefined,
): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const pending = new Set<Promise<unknown>>();
  let failure: Error | undefined;
  let count = 0;
  for await (const line of rl) {
    if (failure) break;
    const p: Promise<unknown> = publishOne(o, client, topic, props, Buffer.from(line, 'utf8')).then(
      () => pending.delete(p),
      (err: unknown) => {
        failure ??= err instanceof Error ? err : new Error(String(err));
        pending.delete(p);
      },
    );
    pending.add(p);
    count++;
    if (pending.size >= LINE_WINDOW) await Promise.race(pending);
  }
  rl.close();
  await Promise.all(pending);
  if (failure) throw failure;
  debugLog(o, `published ${count} line(s)`);
}
