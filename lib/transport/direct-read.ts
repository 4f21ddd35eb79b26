import type { Duplex } from 'node:stream';

/** Size of the buffer a read lands in when no packet is being assembled (Node's own read size). */
const SCRATCH_SIZE = 64 * 1024;
/** A read into the scratch buffer at least this long is handed on as it is (a new scratch buffer is made). */
const HAND_OVER = 32 * 1024;
/** Read straight into a packet being assembled when at least this much of it is missing. */
export const DIRECT_MIN = 32 * 1024;

/** The reading side of a {@link Connection}: where bytes go. */
export interface ReadSink {
  /** Where the next read may land directly (the rest of a large packet), or undefined. */
  target(min: number): Buffer | undefined;
  /** `n` bytes were read into the buffer `target` gave. */
  filled(n: number): void;
  /** A chunk read into a buffer of our own; views of it may be kept (it is never written again). */
  chunk(data: Buffer): void;
}

/**
 * Reads of a TCP socket made with Node's `onread` option: the kernel copies the bytes of a large packet straight
 * into the buffer the packet is assembled in (no copy in JavaScript, no 64 KiB buffer per read), and small reads
 * skip the stream machinery. Bytes that arrive before a {@link ReadSink} is bound are kept for it.
 */
export class DirectReader {
  private sink: ReadSink | undefined;
  private early: Buffer[] | undefined = [];
  private scratch: Buffer | undefined;
  /** bytes read straight into packets being assembled (diagnostics, tests) */
  directBytes = 0;

  /** The `onread` option for `net.connect`. */
  readonly onread = {
    buffer: (): Buffer => this.next(),
    callback: (n: number, buf: Buffer): boolean => {
      this.got(n, buf);
      return true;
    },
  };

  /** Binds the sink; bytes read before are handed to it now. Unbind with undefined (later bytes are dropped). */
  bind(sink: ReadSink | undefined): void {
    this.sink = sink;
    const early = this.early;
    this.early = undefined;
    if (sink && early) for (const c of early) sink.chunk(c);
  }

  private next(): Buffer {
    return this.sink?.target(DIRECT_MIN) ?? (this.scratch ??= Buffer.allocUnsafeSlow(SCRATCH_SIZE));
  }

  private got(n: number, buf: Buffer): void {
    if (buf !== this.scratch) {
      this.directBytes += n;
      this.sink?.filled(n);
      return;
    }
    let data: Buffer;
    if (n >= HAND_OVER) {
      data = buf.subarray(0, n);
      this.scratch = undefined;
    } else {
      data = Buffer.allocUnsafe(n);
      buf.copy(data, 0, 0, n);
    }
    if (this.sink) this.sink.chunk(data);
    else this.early?.push(data);
  }
}

const readers = new WeakMap<Duplex, DirectReader>();

/** Marks `stream` as read through `reader` (its 'data' event does not fire). */
export function registerDirectReader(stream: Duplex, reader: DirectReader): void {
  readers.set(stream, reader);
}

/** The reader of a stream opened with direct reads, or undefined (TLS, WebSocket, a setTransport stream). */
export function directReaderOf(stream: Duplex): DirectReader | undefined {
  return readers.get(stream);
}
