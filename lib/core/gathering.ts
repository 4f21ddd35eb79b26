/**
 * Requests made in one turn of the event loop, gathered into shared packets: subscribes into one SUBSCRIBE,
 * unsubscribes into one UNSUBSCRIBE ([MQTT-3.8.3-1] [MQTT-3.10.3-2]: a packet carries one or more filters). One
 * kind at a time: a request of the other kind sends what was gathered first, so packets keep the order of the
 * calls. What is gathered leaves at the end of the turn (a microtask), before any other packet
 * (Connection.beforeNextSend), or when full: `maxCount` entries or `maxBytes()` bytes.
 */
import type { Connection } from '../connection/connection';

export interface GatherTarget<S, U> {
  /** The connection the packets go to (its next send flushes first). */
  connection(): Connection | undefined;
  /** The most bytes one packet may take now (a server's Maximum Packet Size included). */
  maxBytes(): number;
  sendSubscribes(requests: S[]): void;
  sendUnsubscribes(requests: U[]): void;
}

export class Gathering<S, U> {
  private subscribes: S[] | undefined;
  private unsubscribes: U[] | undefined;
  private bytes = 0;

  /** `overhead`: the most bytes a packet adds around its entries. */
  constructor(
    private readonly target: GatherTarget<S, U>,
    private readonly maxCount: number,
    private readonly overhead: number,
  ) {}

  /** Adds a subscribe whose entry takes `size` bytes. */
  subscribe(request: S, size: number): void {
    if (this.unsubscribes) this.flush();
    if (this.subscribes && this.full(this.subscribes.length, size)) this.flush();
    if (!this.subscribes) {
      this.subscribes = [];
      this.open();
    }
    this.subscribes.push(request);
    this.bytes += size;
  }

  /** Adds an unsubscribe whose entry takes `size` bytes. */
  unsubscribe(request: U, size: number): void {
    if (this.subscribes) this.flush();
    if (this.unsubscribes && this.full(this.unsubscribes.length, size)) this.flush();
    if (!this.unsubscribes) {
      this.unsubscribes = [];
      this.open();
    }
    this.unsubscribes.push(request);
    this.bytes += size;
  }

  /** A gathered subscribe matching `test`, if any. */
  findSubscribe(test: (r: S) => boolean): S | undefined {
    return this.subscribes?.find(test);
  }

  /** Sends what is gathered now. */
  readonly flush = (): void => {
    const { subscribes, unsubscribes } = this.take();
    if (subscribes) this.target.sendSubscribes(subscribes);
    if (unsubscribes) this.target.sendUnsubscribes(unsubscribes);
  };

  /** Takes what is gathered without sending it (the connection was lost). */
  take(): { subscribes: S[] | undefined; unsubscribes: U[] | undefined } {
    const out = { subscribes: this.subscribes, unsubscribes: this.unsubscribes };
    this.subscribes = undefined;
    this.unsubscribes = undefined;
    return out;
  }

  private full(count: number, size: number): boolean {
    return count === this.maxCount || this.overhead + this.bytes + size > this.target.maxBytes();
  }

  private open(): void {
    this.bytes = 0;
    this.target.connection()?.beforeNextSend(this.flush);
    queueMicrotask(this.flush);
  }
}
