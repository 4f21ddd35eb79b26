'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so that Jazzer.js can load it */
/**
 * Fuzz targets for the inbound path (issue 8): bytes from a broker → `PacketDecoder` → the connection handlers of
 * a `QMqttClient` on an in-memory transport, MQTT 3.1.1 and 5.0.
 *
 * Plain CommonJS with the library passed in (`createTargets(lib)`), so that the same targets run
 *  - under Jazzer.js (coverage-guided, `npm run fuzz`), against the built `dist/lib`, and
 *  - under vitest (test/fuzz/fuzz.test.ts, fast-check-driven and bounded), against the TypeScript sources.
 *
 * A target throws (a "crash") when an invariant breaks:
 *  decoder:       push never throws; at most one error, a QMqttProtocolError (ProtocolViolation, 0x81/0x82); no
 *                 packet after it; `stopped` exactly when it failed.
 *  inboundClient: nothing escapes from the socket's 'data' event; no handler throws (the core turns a throw into
 *                 0x83 "Cannot handle …"); every byte the client writes is a well-formed packet, and under MQTT 5
 *                 a DISCONNECT it writes is its last packet (under 3.1.1 it writes none); nothing is delivered
 *                 after a protocol error; a closed connection leaves the session intact: the next connect
 *                 re-sends every message still in flight (DUP set) and nothing else; a connection still up works.
 */
const { EventEmitter } = require('node:events');
const mqttPacket = require('mqtt-packet');

/** A socket that records what the client writes; the target emits 'data' on it synchronously. */
class FakeSocket extends EventEmitter {
  constructor() {
    super();
    this.writable = true;
    this.writableLength = 0;
    this.destroyed = false;
    /** @type {Buffer[]} */
    this.written = [];
  }
  write(chunk, encoding, cb) {
    const done = typeof encoding === 'function' ? encoding : cb;
    this.written.push(Buffer.from(chunk));
    if (done) queueMicrotask(() => done(null));
    return true;
  }
  end() {
    this.writable = false;
    return this;
  }
  destroy() {
    this.writable = false;
    this.destroyed = true;
    return this;
  }
  setNoDelay() {
    return this;
  }
  cork() {}
  uncork() {}
}

/** A clock whose timers never fire: nothing in a fuzz run may depend on a timeout. */
const frozenClock = {
  now: () => 0,
  setTimer: () => ({ cancel() {} }),
};

/**
 * Lets promise callbacks, microtasks and one `setImmediate` turn run (the writer flushes in `setImmediate`); no
 * clock timers.
 */
async function settle(turns = 4) {
  for (let i = 0; i < turns; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

class FuzzCrash extends Error {
  constructor(message) {
    super(message);
    this.name = 'FuzzCrash';
  }
}

function check(cond, message) {
  if (!cond) throw new FuzzCrash(message);
}

/**
 * @param {object} lib the library: { PacketDecoder, encodePacket, QMqttClient, QMqttProtocolError, ClientError,
 *   ClientState, TransportType, QMqttConnectionProperties }
 */
function createTargets(lib) {
  const { PacketDecoder, QMqttClient, QMqttProtocolError, ClientError, ClientState, TransportType } = lib;

  /**
   * Decodes everything the client wrote, as a strict broker would: frame by frame (each Remaining Length must be
   * well formed and fully present), each frame alone through mqtt-packet's parser (so a short field cannot borrow
   * bytes of the next packet). Throws when the bytes are not a sequence of well-formed packets.
   */
  function written(version, socket) {
    const all = Buffer.concat(socket.written);
    const packets = [];
    let i = 0;
    while (i < all.length) {
      let len = 0;
      let mul = 1;
      let k = i + 1;
      for (;;) {
        check(
          k < all.length && k <= i + 4,
          `the client wrote a truncated or badly encoded Remaining Length at ${i}`,
        );
        const b = all[k++];
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) break;
      }
      check(
        k + len <= all.length,
        `the client wrote a malformed packet: ${all.subarray(i, i + 8).toString('hex')}… is cut short`,
      );
      const frame = all.subarray(i, k + len);
      const parser = mqttPacket.parser({ protocolVersion: version });
      const got = [];
      let error;
      parser.on('packet', (p) => got.push(p));
      parser.on('error', (e) => (error = error || e));
      parser.parse(frame);
      check(
        !error && got.length === 1,
        `the client wrote a malformed packet ${frame.toString('hex')}: ${error ? error.message : got.length + ' packets'}`,
      );
      packets.push(got[0]);
      i = k + len;
    }
    return packets;
  }

  /** Splits `bytes` into pieces whose sizes come from `seed` (1 = one piece). */
  function pieces(bytes, seed) {
    if (seed === 0 || bytes.length === 0) return [bytes];
    const out = [];
    let i = 0;
    let s = seed;
    while (i < bytes.length) {
      const n = 1 + (s % 7);
      out.push(bytes.subarray(i, i + n));
      i += n;
      s = (s * 31 + 7) & 0xff;
    }
    return out;
  }

  function decoder(data) {
    if (data.length < 1) return;
    const version = [3, 4, 5][data[0] % 3];
    const split = data.length > 1 ? data[1] : 0;
    const events = [];
    const d = new PacketDecoder(
      version,
      (p) => events.push({ kind: 'packet', cmd: p.cmd }),
      (e) => events.push({ kind: 'error', e }),
    );
    for (const chunk of pieces(data.subarray(2), split)) d.push(chunk);
    const errors = events.filter((e) => e.kind === 'error');
    check(errors.length <= 1, `onError called ${errors.length} times`);
    check(d.stopped === (errors.length === 1), 'stopped does not match the errors reported');
    const at = events.findIndex((e) => e.kind === 'error');
    if (at !== -1) {
      const e = events[at].e;
      check(e instanceof QMqttProtocolError, `onError with ${e && e.constructor && e.constructor.name}`);
      check(e.clientError === ClientError.ProtocolViolation, 'error is not a ProtocolViolation');
      // 0x81 Malformed Packet, or 0x82 Protocol Error for a well-formed packet that breaks a rule
      check(e.reasonCode === 0x81 || e.reasonCode === 0x82, `error reason ${e.reasonCode}, not 0x81/0x82`);
      check(at === events.length - 1, 'a packet was delivered after the error');
    }
  }

  /**
   * data[0]: bit 0 → MQTT 5 (else 3.1.1); bit 1 → the bytes replace the CONNACK (else they follow it, with a QoS 1
   * (id 1) and a QoS 2 (id 2) message in flight and a subscription awaiting SUBACK (id 3)); data[1]: how the bytes
   * are cut into reads; the rest: what the broker sends.
   */
  async function inboundClient(data) {
    if (data.length < 2) return;
    const version = data[0] & 1 ? 5 : 4;
    const beforeConnack = (data[0] & 2) !== 0;
    const bytes = data.subarray(2);
    const client = new QMqttClient({ clock: frozenClock, connectTimeout: 1000 });
    client.setProtocolVersion(version);
    client.setClientId('fuzz');
    client.setCleanSession(false);
    client.setKeepAlive(0);
    if (version === 5) {
      const p = client.connectionProperties();
      p.setMaximumTopicAlias(4);
      p.setMaximumReceive(8);
      p.setMaximumPacketSize(4096);
      client.setConnectionProperties(p);
    }
    const socket = new FakeSocket();
    client.setTransport(socket, TransportType.IODevice);
    let errorAt = -1;
    let deliveredAfterError = 0;
    let step = 0;
    client.errorOccurred.connect((e) => {
      if (errorAt === -1 && e.clientError === ClientError.ProtocolViolation) errorAt = step;
    });
    client.messageReceived.connect(() => {
      if (errorAt !== -1) deliveredAfterError++;
    });
    const connecting = client.connectToHostAsync();
    connecting.catch(() => undefined);
    await settle();
    check(socket.listenerCount('data') === 1, 'the client did not take the transport');
    const pending = [];
    if (!beforeConnack) {
      socket.emit('data', version === 5 ? Buffer.from([0x20, 3, 0, 0, 0]) : Buffer.from([0x20, 2, 0, 0]));
      await settle();
      check(client.state() === ClientState.Connected, 'a plain CONNACK did not connect');
      pending.push(client.publishAsync('fuzz/1', 'one', 1), client.publishAsync('fuzz/2', 'two', 2));
      // a subscription waiting for its SUBACK (id 3), so that SUBACK / UNSUBACK handling is reachable
      pending.push(client.subscribeAsync('fuzz/#', 2));
      for (const p of pending) p.catch(() => undefined);
      await settle();
    }
    for (const chunk of pieces(bytes, data[1])) {
      step++;
      try {
        socket.emit('data', chunk);
      } catch (e) {
        throw new FuzzCrash(`an exception escaped from the socket's data event: ${e && e.stack}`);
      }
      await settle(2);
    }
    await settle();

    const detail = client.lastErrorDetail();
    check(
      !(detail && /^Cannot handle /.test(detail.message)),
      `a packet handler threw: ${detail && detail.message}`,
    );
    check(deliveredAfterError === 0, `${deliveredAfterError} message(s) delivered after the protocol error`);
    const out = written(version, socket);
    const disconnects = out.filter((p) => p.cmd === 'disconnect');
    if (version === 5) {
      check(disconnects.length <= 1, 'more than one DISCONNECT written');
      if (disconnects.length === 1)
        check(out[out.length - 1].cmd === 'disconnect', 'a packet written after DISCONNECT');
    } else check(disconnects.length === 0, 'a 3.1.1 client wrote DISCONNECT on its own');

    if (client.state() === ClientState.Connected) {
      // still up: the next publish goes out as a well-formed PUBLISH, or is refused for a limit the server set
      const before = socket.written.length;
      const probing = client.publishAsync('fuzz/probe', 'p', 0);
      const refusal = await Promise.race([
        probing.then(
          () => null,
          (e) => e,
        ),
        settle().then(() => null),
      ]);
      if (refusal) {
        // e.g. a CONNACK with Maximum Packet Size 1: nothing fits, and the client must say so (0x95)
        check(
          refusal.reasonCode === 0x95 && socket.written.length === before,
          `publish refused on a healthy connection: ${refusal.message}`,
        );
        return;
      }
      await settle();
      const probe = written(version, { written: socket.written.slice(before) });
      check(
        probe.length === 1 && probe[0].cmd === 'publish',
        `the probe did not leave as one PUBLISH: ${JSON.stringify(probe.map((p) => p.cmd))}`,
      );
      return;
    }
    if (client.state() !== ClientState.Disconnected) return; // still waiting for CONNACK: nothing to check
    // closed: the session must be intact. Reconnect with Session Present 1 and count what is re-sent.
    const inflight = client.inflightMessageCount();
    const again = new FakeSocket();
    client.setTransport(again, TransportType.IODevice);
    const reconnecting = client.connectToHostAsync();
    reconnecting.catch(() => undefined);
    await settle();
    if (again.listenerCount('data') !== 1) return; // e.g. a server redirect: the client did not use the transport
    again.emit('data', version === 5 ? Buffer.from([0x20, 3, 1, 0, 0]) : Buffer.from([0x20, 2, 1, 0]));
    await settle();
    check(client.state() === ClientState.Connected, 'could not connect again after the error');
    // PUBLISH and PUBREL of the session; SUBSCRIBE of subscriptions still pending is sent again too, not counted
    const resent = written(version, again).filter((p) => p.cmd === 'publish' || p.cmd === 'pubrel');
    check(
      resent.length === inflight,
      `session not intact: ${inflight} in flight, ${resent.length} re-sent (${resent.map((p) => p.cmd).join(',')})`,
    );
    for (const p of resent) {
      check(p.cmd === 'pubrel' || (p.cmd === 'publish' && p.dup === true), `re-sent ${p.cmd} without DUP`);
      check(p.messageId > 0, `re-sent ${p.cmd} with id ${p.messageId}`);
    }
    client.disconnectFromHost();
  }

  return { decoder, inboundClient };
}

module.exports = { createTargets, FuzzCrash, FakeSocket };
