import type { Writable } from 'node:stream';

type Done = (error?: Error | null) => void;

/**
 * Outbound byte path (perf-anchor F1, F8): every packet written during one turn of the event loop leaves in
 * one `write` call; the stream's backpressure is watched by ONE `drain` listener for the writer's lifetime,
 * and completion callbacks wait in one FIFO, so the cost per packet does not grow with the burst size.
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

  constructor(
    private readonly stream: Writable,
    /** Called when the writer has room again after {@link bufferedBytes} went over the budget. */
    private readonly onDrain: () => void,
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

  /** Queues one encoded packet. `done` runs when the stream has taken it (or failed). */
  write(buf: Buffer, done?: Done): void {
    if (this.closed) {
      done?.(new Error('Connection closed'));
      return;
    }
    this.chunks.push(buf);
    this.chunkBytes += buf.length;
    if (done) this.callbacks.push(done);
    if (this.chunkBytes >= PacketWriter.flushThreshold && !this.blocked) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushTask);
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
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.chunkBytes);
    const cbs = this.callbacks;
    this.chunks = [];
    this.chunkBytes = 0;
    this.callbacks = [];
    const ok = this.stream.write(
      data,
      cbs.length === 0
        ? undefined
        : (err) => {
            for (const cb of cbs) cb(err);
          },
    );
    if (!ok) this.blocked = true;
  }
}
