import type { Writable } from 'node:stream';

type Done = (error?: Error | null) => void;

/**
 * Outbound byte path (perf-anchor F1, F8): every packet written during one turn of the event loop leaves in
 * one `write` call; the stream's backpressure is watched by ONE `drain` listener for the writer's lifetime,
 * and completion callbacks wait in one FIFO, so the cost per packet does not grow with the burst size.
 *
 * The flush runs in `setImmediate`, after the I/O callbacks of the turn: Node-RED hands each message to a node
 * in its own `setImmediate`, and a microtask flush would make every relayed message its own system call.
 * Large chunks (a big payload written after its header) are not copied into the batch: they go out with the
 * small ones around them in one corked `writev`.
 */
export class PacketWriter {
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private callbacks: Done[] = [];
  private scheduled = false;
  private blocked = false;
  private closed = false;

  /** Write out immediately once this many bytes are waiting, instead of waiting for the end of the turn. */
  static readonly flushThreshold = 256 * 1024;
  /** Chunks at least this large are written as they are, not copied into a batch. */
  static readonly largeChunk = 64 * 1024;
  private largeChunks = 0;

  constructor(
    private readonly stream: Writable,
    /** Called when the writer has room again after {@link bufferedBytes} went over the budget. */
    private readonly onDrain: () => void,
    /** Called once per batch handed to the stream (keepalive's "last sent" without a clock read per packet). */
    private readonly onFlush: () => void = () => undefined,
  ) {
    stream.on('drain', this.handleDrain);
  }

  /**
   * Bytes accepted by the writer and not yet taken by the stream's destination. Read from the stream itself
   * (`writableLength`), because Node emits 'drain' before it runs the write callbacks.
   */
  get bufferedBytes(): number {
    return this.chunkBytes + this.stream.writableLength;
  }

  /** Bytes queued here for the next flush (not yet handed to the stream). */
  get queuedBytes(): number {
    return this.chunkBytes;
  }

  /** Queues one encoded packet. `done` runs when the stream has taken it (or failed). */
  write(buf: Buffer, done?: Done): void {
    if (this.closed) {
      done?.(new Error('Connection closed'));
      return;
    }
    this.chunks.push(buf);
    this.chunkBytes += buf.length;
    if (buf.length >= PacketWriter.largeChunk) this.largeChunks++;
    if (done) this.callbacks.push(done);
    if (this.chunkBytes >= PacketWriter.flushThreshold && !this.blocked) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushTask);
    }
  }

  /** Hands everything queued to the stream now (used before closing on an error, so a DISCONNECT leaves). */
  flushNow(): boolean {
    if (this.closed || this.chunks.length === 0) return false;
    this.blocked = false;
    this.flush();
    return true;
  }

  /** Stops the writer: pending callbacks fail, the drain listener is removed. */
  close(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.off('drain', this.handleDrain);
    const cbs = this.callbacks;
    this.callbacks = [];
    this.chunks = [];
    this.chunkBytes = 0;
    this.largeChunks = 0;
    for (const cb of cbs) cb(error);
  }

  private readonly flushTask = (): void => {
    this.scheduled = false;
    if (!this.blocked) this.flush();
  };

  private readonly handleDrain = (): void => {
    this.blocked = false;
    if (this.chunks.length > 0) this.flush();
    if (!this.blocked) this.onDrain();
  };

  private flush(): void {
    if (this.closed || this.chunks.length === 0) return;
    const chunks = this.chunks;
    const cbs = this.callbacks;
    const large = this.largeChunks;
    const bytes = this.chunkBytes;
    this.chunks = [];
    this.chunkBytes = 0;
    this.largeChunks = 0;
    this.callbacks = [];
    const done =
      cbs.length === 0
        ? undefined
        : (err?: Error | null): void => {
            for (const cb of cbs) cb(err);
          };
    let ok: boolean;
    if (chunks.length === 1 || large === 0) {
      ok = this.stream.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes), done);
    } else {
      // runs of small chunks are joined; large ones pass through uncopied; one writev for all of it
      this.stream.cork();
      let run: Buffer[] = [];
      let runBytes = 0;
      const flushRun = (): void => {
        if (run.length === 0) return;
        this.stream.write(run.length === 1 ? run[0]! : Buffer.concat(run, runBytes));
        run = [];
        runBytes = 0;
      };
      for (const c of chunks) {
        if (c.length >= PacketWriter.largeChunk) {
          flushRun();
          this.stream.write(c);
        } else {
          run.push(c);
          runBytes += c.length;
        }
      }
      flushRun();
      // the completion of the batch: an empty write after the others completes after them
      ok = this.stream.write(Buffer.alloc(0), done);
      this.stream.uncork();
    }
    this.onFlush();
    if (!ok) this.blocked = true;
  }
}
