/**
 * The hostile-peer harness: a client on a scripted broker (test/helpers/scripted-broker.ts) with three
 * messages of its session in flight, a way to feed it bytes a broker must never send, and the two outcomes the
 * client is allowed (issue 8):
 *
 *  - `expectHealthy`: handled as the specification says; the connection is still up, a round trip in both
 *    directions works and the messages in flight complete on the same connection;
 *  - `expectViolation`: the connection is closed at once (a fake clock: no timer can fire, so nothing waits for a
 *    timeout) with `ClientError.ProtocolViolation` and the reason code in `lastErrorDetail()`; under MQTT 5 a
 *    DISCONNECT with that reason code is the last thing the client sends, under 3.1/3.1.1 no DISCONNECT (that
 *    would discard the will); then the next connect re-sends every message in flight (DUP, same ids, PUBREL).
 *
 * `installGuards` fails a test when an exception or rejection escapes to the process.
 */
import type { IConnackPacket, Packet } from 'mqtt-packet';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { QMqttClient, PublishResult } from '../../lib/client';
import type { QMqttError } from '../../lib/errors';
import { ClientError, ClientState } from '../../lib/state';
import { varIntBytes } from '../../lib/packet/size';
import { FakeClock } from '../helpers/fake-clock';
import type { ScriptedBroker } from '../helpers/scripted-broker';
import { scripted, tick } from '../helpers/scripted-client';

export type Version = 3 | 4 | 5;
export const VERSIONS: readonly Version[] = [3, 4, 5];
export type ConnackProps = IConnackPacket['properties'];

export const MALFORMED = 0x81;
export const PROTOCOL_ERROR = 0x82;

/**
 * Fails the running test when anything reaches `uncaughtException` / `unhandledRejection`. A test that expects
 * an escape to be impossible can also check in its own body with `takeEscaped()`.
 */
export function installGuards(): { takeEscaped(): unknown[] } {
  const escaped: unknown[] = [];
  const record = (e: unknown): void => {
    escaped.push(e);
  };
  beforeAll(() => {
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
  });
  afterAll(() => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  });
  afterEach(async () => {
    await tick(1);
    const e = escaped.splice(0);
    expect(e, 'an exception escaped to the application').toEqual([]);
  });
  return { takeEscaped: () => escaped.splice(0) };
}

export interface Hostile {
  version: Version;
  client: QMqttClient;
  clock: FakeClock;
  /** The broker of the current connection. */
  broker: ScriptedBroker;
  /** A new broker for the next connection. */
  reconnect(): ScriptedBroker;
  /** Promises of the three messages in flight: QoS 1 (id 1), QoS 2 before PUBREC (id 2), QoS 2 after PUBREC (id 3). */
  inflight: Promise<PublishResult>[];
  errors: QMqttError[];
  /** QoS of the outgoing probe of a round trip (0 where the server's Maximum QoS is 0). */
  probeQos: 0 | 1;
  /** CONNACK properties of the resuming connection. */
  resumeConnack?: ConnackProps;
}

export interface HostileOptions {
  connack?: ConnackProps;
  /** Client settings before the first connect (e.g. its own MQTT 5 limits). */
  configure?: (client: QMqttClient) => void;
  /** Put the three messages in flight (default true; false where the server's Maximum QoS forbids them). */
  inflight?: boolean;
  /** CONNACK properties when the session resumes after a violation (default none). */
  resumeConnack?: ConnackProps;
}

const ack = (version: Version, p: Record<string, unknown>): Packet =>
  (version === 5 ? { ...p, reasonCode: 0 } : p) as unknown as Packet;

/**
 * A connected client (clean session off) with three messages in flight, every packet it sent already read:
 * `hostile/q1` QoS 1 awaiting PUBACK, `hostile/q2` QoS 2 awaiting PUBREC, `hostile/q3` QoS 2 awaiting PUBCOMP.
 */
export async function connectWithInflight(version: Version, opts: HostileOptions = {}): Promise<Hostile> {
  const clock = new FakeClock();
  const s = scripted(version, { clock });
  const errors: QMqttError[] = [];
  s.client.errorOccurred.connect((e) => errors.push(e));
  s.client.setCleanSession(false);
  s.client.setKeepAlive(0);
  opts.configure?.(s.client);
  const done = s.client.connectToHostAsync();
  await s.broker.acceptConnect(false, version === 5 ? opts.connack : undefined);
  await done;
  const inflight: Promise<PublishResult>[] = [];
  if (opts.inflight !== false) {
    inflight.push(
      s.client.publishAsync('hostile/q1', 'one', 1),
      s.client.publishAsync('hostile/q2', 'two', 2),
      s.client.publishAsync('hostile/q3', 'three', 2),
    );
    for (const p of inflight) p.catch(() => undefined); // a rejection is asserted where it matters
    for (const [id, qos] of [
      [1, 1],
      [2, 2],
      [3, 2],
    ] as const)
      expect(await s.broker.expect('publish')).toMatchObject({ messageId: id, qos, dup: false });
    s.broker.send(ack(version, { cmd: 'pubrec', messageId: 3 }));
    expect(await s.broker.expect('pubrel')).toMatchObject({ messageId: 3 });
  }
  return {
    probeQos: version === 5 && opts.connack?.maximumQoS === 0 ? 0 : 1,
    resumeConnack: opts.resumeConnack,
    version,
    client: s.client,
    clock,
    get broker() {
      return s.broker;
    },
    reconnect: () => s.reconnect(),
    inflight,
    errors,
  };
}

/**
 * The same client, but the hostile input is to come before CONNACK: the first connection drops (a network
 * failure), the client connects again, and the returned broker has read the new CONNECT.
 */
/** A client that has connected before (clean session as `cleanSession`), now connecting; CONNECT read. */
export async function connecting(version: Version, cleanSession: boolean): Promise<Hostile> {
  const clock = new FakeClock();
  const s = scripted(version, { clock });
  const errors: QMqttError[] = [];
  s.client.errorOccurred.connect((e) => errors.push(e));
  s.client.setCleanSession(cleanSession);
  s.client.connectToHostAsync().catch(() => undefined);
  await s.broker.expect('connect');
  return {
    version,
    client: s.client,
    clock,
    get broker() {
      return s.broker;
    },
    reconnect: () => s.reconnect(),
    inflight: [],
    errors,
    probeQos: 1,
  };
}

export async function reconnectingWithInflight(
  version: Version,
  opts: HostileOptions = {},
): Promise<{ h: Hostile; connecting: Promise<boolean> }> {
  const h = await connectWithInflight(version, opts);
  h.broker.drop();
  await waitState(h.client, ClientState.Disconnected);
  h.errors.length = 0;
  const b = h.reconnect();
  const connecting = h.client.connectToHostAsync();
  connecting.catch(() => undefined);
  await b.expect('connect');
  return { h, connecting };
}

/**
 * Waits for `state` for at most `turns` timer turns. No clock timer can fire (fake clock), so a client that only
 * reacts on a timeout never gets there; counting turns instead of milliseconds keeps this independent of load.
 */
async function waitState(client: QMqttClient, state: ClientState, turns = 30): Promise<void> {
  for (let i = 0; i < turns && client.state() !== state; i++) await tick(1);
  if (client.state() !== state)
    throw new Error(
      `the client did not reach state ${ClientState[state]} (state ${ClientState[client.state()]}, error ${ClientError[client.error()]})`,
    );
}

/**
 * The client must close the connection at once with ProtocolViolation and one of `reasons` (the first is the
 * one the specification names; others are accepted alternatives), send DISCONNECT first under MQTT 5, and then
 * resume its session on the next connection.
 */
export async function expectViolation(h: Hostile, reasons: number[], resume = true): Promise<void> {
  const broker = h.broker;
  await waitState(h.client, ClientState.Disconnected);
  expect(ClientError[h.client.error()]).toBe(ClientError[ClientError.ProtocolViolation]);
  const detail = h.client.lastErrorDetail();
  expect(detail, 'lastErrorDetail()').toBeDefined();
  expect(detail!.clientError).toBe(ClientError.ProtocolViolation);
  expect(reasons, `reason code in lastErrorDetail(): ${detail!.message}`).toContain(detail!.reasonCode);
  expect(h.errors.map((e) => e.clientError)).toContain(ClientError.ProtocolViolation);
  await tick(2);
  const sent = broker.pending();
  const disconnects = sent.filter((p) => p.cmd === 'disconnect');
  if (h.version === 5) {
    expect(sent.at(-1), 'MQTT 5: a DISCONNECT with the reason code goes out before the close').toMatchObject({
      cmd: 'disconnect',
      reasonCode: detail!.reasonCode,
    });
    expect(disconnects).toHaveLength(1);
  } else {
    expect(disconnects, 'MQTT 3.x: no DISCONNECT (it would delete the will)').toEqual([]);
  }
  for (let i = 0; i < 30 && !broker.closed; i++) await tick(1);
  expect(broker.closed, 'the network connection is closed').toBe(true);
  if (resume) await expectSessionResumes(h);
}

/** Reconnects with Session Present 1: the three messages in flight are re-sent and complete. */
export async function expectSessionResumes(h: Hostile, connack = h.resumeConnack): Promise<void> {
  const b = h.reconnect();
  const done = h.client.connectToHostAsync();
  await b.acceptConnect(true, h.version === 5 ? connack : undefined);
  await done;
  // [MQTT-4.4.0-1] unacknowledged PUBLISH again with DUP and the same id, PUBREL again, in the original order
  // (a subscription still waiting for its SUBACK is requested again too: not part of this check)
  const resent: Packet[] = [];
  while (resent.length < 3) resent.push(await nextNotSubscription(b));
  expect(resent[0]).toMatchObject({ cmd: 'publish', topic: 'hostile/q1', messageId: 1, qos: 1, dup: true });
  expect(resent[1]).toMatchObject({ cmd: 'publish', topic: 'hostile/q2', messageId: 2, qos: 2, dup: true });
  expect(resent[2]).toMatchObject({ cmd: 'pubrel', messageId: 3 });
  await completeInflight(h, b);
  await roundTrip(h, b);
}

/** The next packet other than a SUBSCRIBE / UNSUBSCRIBE restored on reconnect. */
async function nextNotSubscription(b: ScriptedBroker): Promise<Packet> {
  for (;;) {
    const p = await b.next();
    if (p.cmd !== 'subscribe' && p.cmd !== 'unsubscribe') return p;
  }
}

async function completeInflight(h: Hostile, b: ScriptedBroker): Promise<void> {
  if (h.inflight.length === 0) return;
  b.send(ack(h.version, { cmd: 'puback', messageId: 1 }));
  b.send(ack(h.version, { cmd: 'pubrec', messageId: 2 }));
  expect(await nextNotSubscription(b)).toMatchObject({ cmd: 'pubrel', messageId: 2 });
  b.send(ack(h.version, { cmd: 'pubcomp', messageId: 2 }));
  b.send(ack(h.version, { cmd: 'pubcomp', messageId: 3 }));
  const results = await Promise.all(h.inflight);
  expect(results.map((r) => r.id)).toEqual([1, 2, 3]);
}

/** A QoS 1 message each way: the connection works. */
export async function roundTrip(h: Hostile, b: ScriptedBroker = h.broker): Promise<void> {
  const out = h.client.publishAsync('probe/out', 'ping', h.probeQos);
  const p = await nextNotSubscription(b);
  expect(p).toMatchObject({ topic: 'probe/out', qos: h.probeQos });
  if (h.probeQos === 1) b.send(ack(h.version, { cmd: 'puback', messageId: p.messageId }));
  await expect(out).resolves.toMatchObject({ id: p.messageId ?? 0 });
  let got = '';
  const c = h.client.messageReceived.connect(
    (payload, topic) => (got = `${topic.name()}:${payload.toString()}`),
  );
  b.send({
    cmd: 'publish',
    topic: 'probe/in',
    payload: Buffer.from('pong'),
    qos: 1,
    messageId: 4242,
    retain: false,
    dup: false,
  });
  expect(await nextNotSubscription(b)).toMatchObject({ cmd: 'puback', messageId: 4242 });
  c.disconnect();
  expect(got).toBe('probe/in:pong');
  expect(h.client.state()).toBe(ClientState.Connected);
}

/**
 * The input was handled: the client is still connected without an error, a round trip works, and the messages
 * in flight still complete on this connection. `sent` returns what the client answered (read before the probe).
 */
export async function expectHealthy(h: Hostile): Promise<Packet[]> {
  await tick(5);
  expect(ClientState[h.client.state()]).toBe(ClientState[ClientState.Connected]);
  expect(h.client.error()).toBe(ClientError.NoError);
  expect(h.errors).toEqual([]);
  const answered = h.broker.pending();
  for (let i = 0; i < answered.length; i++) await h.broker.next();
  await completeInflight(h, h.broker);
  await roundTrip(h);
  return answered;
}

/** Remaining Length bytes (§2.2.3) for `n` (the library's own encoder of Variable Byte Integers). */
export const varInt = varIntBytes;

/** A packet from its first byte and body (the Remaining Length is computed). */
export function frame(first: number, body: number[] | Buffer): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([Buffer.from([first, ...varInt(b.length)]), b]);
}

/** Hex helper: `hex('40 02 00 01')`. */
export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

/** An MQTT string field. */
export function str(s: string | Buffer): number[] {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return [b.length >> 8, b.length & 0xff, ...b];
}

// ---- table-driven cases ------------------------------------------------------------------------------------

export const ALL: readonly Version[] = [3, 4, 5];
export const V3X: readonly Version[] = [3, 4];

export interface Row {
  name: string;
  levels: readonly Version[];
  /** Bytes from the server at protocol level `v`. */
  bytes: (v: Version) => Buffer;
  /** Accepted reason codes; the first is the one the specification names. */
  reasons: number[];
  /** Levels where the client currently fails this row (run as `it.fails`; the row carries a `// DEFECT:`). */
  fails?: readonly Version[];
  /** The input arrives before CONNACK (default: after, with messages in flight). */
  beforeConnack?: boolean;
  options?: HostileOptions;
}

/** One test per row and level: the bytes must close the connection as a protocol violation. */
export function runRows(rows: Row[]): void {
  for (const row of rows) {
    for (const version of row.levels) {
      // QMQTT_SHOW_DEFECTS=1 runs the known failures as plain tests, to see why each one fails
      const known = row.fails?.includes(version) && !process.env.QMQTT_SHOW_DEFECTS;
      const test = known ? it.fails : it;
      test(`${row.name} (level ${version})`, async () => {
        if (row.beforeConnack) {
          const { h } = await reconnectingWithInflight(version, row.options);
          h.broker.sendRaw(row.bytes(version));
          await expectViolation(h, row.reasons);
        } else {
          const h = await connectWithInflight(version, row.options);
          h.broker.sendRaw(row.bytes(version));
          await expectViolation(h, row.reasons);
        }
      });
    }
  }
}
