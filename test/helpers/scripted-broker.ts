import * as mqtt from 'mqtt-packet';
import type { Duplex } from 'node:stream';
import { duplexPair } from './duplex-pair';

/**
 * An in-memory peer that plays exact packet sequences against the client (DESIGN §4 layer 2). The client gets
 * `clientSide` through setTransport; the test reads what the client sent with `next()` and answers with `send()`.
 */
export class ScriptedBroker {
  readonly clientSide: Duplex;
  private readonly serverSide: Duplex;
  private readonly inbox: mqtt.Packet[] = [];
  private readonly waiting: Array<(p: mqtt.Packet) => void> = [];
  private readonly parser: ReturnType<typeof mqtt.parser>;
  /** Raw bytes received from the client, chunk by chunk (to check coalescing). */
  readonly chunks: Buffer[] = [];
  closed = false;

  constructor(readonly protocolVersion: 3 | 4 | 5 = 4) {
    [this.clientSide, this.serverSide] = duplexPair();
    this.parser = mqtt.parser({ protocolVersion });
    this.parser.on('packet', (p: mqtt.Packet) => {
      const w = this.waiting.shift();
      if (w) w(p);
      else this.inbox.push(p);
    });
    this.serverSide.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.parser.parse(c);
    });
    this.serverSide.on('end', () => (this.closed = true));
    this.serverSide.on('close', () => (this.closed = true));
    this.serverSide.on('error', () => (this.closed = true));
  }

  /** The next packet the client sent (waits up to `ms`). */
  next(ms = 2000): Promise<mqtt.Packet> {
    const p = this.inbox.shift();
    if (p) return Promise.resolve(p);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        const i = this.waiting.indexOf(done);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new Error(`no packet from the client within ${ms} ms`));
      }, ms);
      const done = (pk: mqtt.Packet): void => {
        clearTimeout(t);
        resolve(pk);
      };
      this.waiting.push(done);
    });
  }

  /** The next packet, which must be of type `cmd`. */
  async expect<C extends mqtt.PacketCmd>(cmd: C, ms = 2000): Promise<Extract<mqtt.Packet, { cmd: C }>> {
    const p = await this.next(ms);
    if (p.cmd !== cmd) throw new Error(`expected ${cmd}, got ${p.cmd}: ${JSON.stringify(p)}`);
    return p as Extract<mqtt.Packet, { cmd: C }>;
  }

  /** Packets received and not yet read. */
  pending(): mqtt.Packet[] {
    return [...this.inbox];
  }

  send(packet: mqtt.Packet): void {
    this.serverSide.write(mqtt.generate(packet, { protocolVersion: this.protocolVersion }));
  }

  sendRaw(bytes: Buffer | number[]): void {
    this.serverSide.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
  }

  /** Accepts the CONNECT that must come first; returns it. */
  async acceptConnect(
    sessionPresent = false,
    properties?: mqtt.IConnackPacket['properties'],
  ): Promise<mqtt.IConnectPacket> {
    const c = await this.expect('connect');
    if (this.protocolVersion === 5)
      this.send({ cmd: 'connack', sessionPresent, reasonCode: 0, ...(properties ? { properties } : {}) });
    else this.send({ cmd: 'connack', sessionPresent, returnCode: 0 });
    return c;
  }

  /** Drops the connection as a network failure would. */
  drop(): void {
    this.serverSide.destroy();
    this.closed = true;
  }
}
