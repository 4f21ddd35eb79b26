import type { Duplex } from 'node:stream';
import type { Clock } from '../clock';
import { QMqttError } from '../errors';
import { ClientError } from '../state';
import { encodePacketParts, PacketDecoder, type Packet, type WireProtocolVersion } from '../packet/codec';
import { PacketWriter } from '../packet/writer';
import { directReaderOf, type DirectReader } from '../transport/direct-read';

/** Told after each chunk read and dispatched, for the TCP acknowledgement policy (core/quick-ack-policy.ts). */
export interface AckPolicy {
  /** Each packet read, before it is dispatched. */
  packet(cmd: string): void;
  /** `writerIdle`: nothing is waiting to be written, so no packet of ours will carry the TCP ACK soon. */
  afterRead(writerIdle: boolean): void;
  /** The connection closed: stop any timer. */
  close(): void;
}

export interface ConnectionEvents {
  /** One decoded packet from the broker. */
  packet(packet: Packet): void;
  /** The connection is gone; `error` is null when we closed it on purpose. Called once. */
  closed(error: QMqttError | null): void;
  /** The writer has room again. */
  drain(): void;
  /** A malformed packet arrived: the owner says why (v5 DISCONNECT) and closes. */
  malformed(error: QMqttError): void;
}

/**
 * One transport's life: bytes in through the decoder, packets out through the writer, close exactly once.
 * It knows nothing of sessions or subscriptions.
 */
export class Connection {
  readonly writer: PacketWriter;
  private readonly decoder: PacketDecoder;
  /** set when the stream is a TCP socket of ours read with `onread` (its 'data' event does not fire) */
  private readonly direct: DirectReader | undefined;
  /** clock time of the last write, read by keepalive */
  lastSentAt: number;
  private isClosed = false;
  private beforeNext: (() => void) | undefined;

  constructor(
    private readonly stream: Duplex,
    readonly protocolVersion: WireProtocolVersion,
    private readonly clock: Clock,
    private readonly events: ConnectionEvents,
    private readonly ackPolicy?: AckPolicy,
  ) {
    this.lastSentAt = clock.now();
    this.writer = new PacketWriter(
      stream,
      () => events.drain(),
      () => (this.lastSentAt = clock.now()),
    );
    this.decoder = new PacketDecoder(
      protocolVersion,
      ackPolicy
        ? (p) => {
            ackPolicy.packet(p.cmd);
            events.packet(p);
          }
        : (p) => events.packet(p),
      (e) => events.malformed(e),
    );
    this.direct = directReaderOf(stream);
    if (this.direct)
      this.direct.bind({
        target: (min) => this.decoder.target(min),
        filled: (n) => {
          this.decoder.filled(n);
          this.afterRead();
        },
        chunk: this.onData,
      });
    else stream.on('data', this.onData);
    stream.on('error', this.onError);
    stream.on('close', this.onEnd);
    stream.on('end', this.onEnd);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Runs `fn` once, right before the next packet is queued: a SUBSCRIBE still being gathered goes out first, so
   * packets keep the order in which they were asked for.
   */
  beforeNextSend(fn: () => void): void {
    this.beforeNext = fn;
  }

  /** Encodes and queues a packet. Returns false (and calls `done` with an error) when closed. */
  send(packet: Packet, done?: (err?: Error | null) => void): boolean {
    const before = this.beforeNext;
    if (before) {
      this.beforeNext = undefined;
      before();
    }
    if (this.isClosed) {
      done?.(new QMqttError('Not connected', ClientError.TransportInvalid));
      return false;
    }
    let parts: Buffer[];
    try {
      parts = encodePacketParts(packet, this.protocolVersion, PacketWriter.largeChunk);
    } catch (e) {
      const err = e instanceof QMqttError ? e : new QMqttError(String(e), ClientError.UnknownError);
      done?.(err);
      this.close(err);
      return false;
    }
    if (parts.length === 1) this.writer.write(parts[0]!, done);
    else {
      for (let i = 0; i < parts.length - 1; i++) this.writer.write(parts[i]!);
      this.writer.write(parts[parts.length - 1]!, done);
    }
    return true;
  }

  /** Closes the connection. With `error` null: flush what is queued, then end the stream gracefully. */
  close(error: QMqttError | null): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.decoder.stop();
    this.ackPolicy?.close();
    if (this.direct) this.direct.bind(undefined);
    else this.stream.off('data', this.onData);
    this.stream.off('close', this.onEnd);
    this.stream.off('end', this.onEnd);
    // keep an error listener: a late socket error must never become an uncaught exception
    if (error) {
      // a DISCONNECT with the reason (v5) may be waiting: let it leave, then close without waiting for the peer
      const flushed = this.writer.flushNow();
      this.writer.close(error);
      if (flushed && this.stream.writable) {
        this.stream.end();
        setTimeout(() => this.stream.destroy(), 1000).unref();
      } else this.stream.destroy();
    } else {
      // hand the DISCONNECT (and anything queued before it) to the stream, then end it
      this.writer.flushNow();
      this.writer.close(new QMqttError('Connection closed', ClientError.TransportInvalid));
      this.stream.end();
      const t = setTimeout(() => this.stream.destroy(), 1000);
      t.unref();
    }
    this.events.closed(error);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.decoder.push(chunk);
    this.afterRead();
  };

  private afterRead(): void {
    // idle: nothing of ours queued, and no backlog in the stream whose bytes would carry the ACK (a TLS or
    // WebSocket stream counts a small write as pending until its callback, after it reached the kernel)
    this.ackPolicy?.afterRead(
      this.writer.queuedBytes === 0 && this.stream.writableLength < PacketWriter.largeChunk,
    );
  }

  private readonly onError = (err: Error): void => {
    if (!this.isClosed)
      this.close(new QMqttError(`Transport error: ${err.message}`, ClientError.TransportInvalid));
  };

  private readonly onEnd = (): void => {
    if (!this.isClosed)
      this.close(new QMqttError('The broker closed the connection', ClientError.TransportInvalid));
  };
}
